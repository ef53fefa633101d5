# The real-world compose files of tests/corpus/compose-real import with
# --dry-run: no crash, every file gives its jails, every key brig does not
# map is listed with FILE:LINE (each build:, healthcheck: and logging: key
# of a service, at its own line; every profile taken in); the test says
# how many import without anything left unmapped. Without --profile, a
# service with profiles is left out, and the import says so.
. tests/integration/lib/common.sh
D=tests/corpus/compose-real
n=0 clean=0
for f in "$D"/*.yml; do
	n=$((n + 1))
	expect_rc 0 env -i PATH="$PATH" BRIG_CONFDIR="$BRIG_CONFDIR" BRIG_STOREDIR="$BRIG_STOREDIR" \
		$BRIG compose import "$f" -p corpus --profile '*' --dry-run
	printf '%s\n' "$OUT" | grep -q '^corpus_[a-z0-9_.-]* {$' || fail "$f: no jail"
	# Every line of the list: FILE:LINE: WHERE: WHY, LINE > 0.
	list=$(printf '%s\n' "$OUT" | sed -n '/^not mapped (/,$p' | tail -n +2)
	if [ -z "$list" ]; then
		clean=$((clean + 1))
	else
		bad=$(printf '%s\n' "$list" | grep -v "^$f:[1-9][0-9]*: [^:]*: ." || true)
		[ -z "$bad" ] || fail "$f: not FILE:LINE: WHERE: WHY: $bad"
	fi
	# The keys brig never maps, each listed at its line (indented: a
	# service's key, not in an x- block that no service uses).
	grep -n '^    \(build\|healthcheck\|logging\):' "$f" | cut -d: -f1 | while read -r l; do
		printf '%s\n' "$list" | grep -q "^$f:$l: services\." ||
			fail "$f:$l: $(sed -n "${l}p" "$f") is not listed"
	done
done
[ "$n" -ge 20 ] || fail "only $n files in $D"
expect_rc 0 env -i PATH="$PATH" BRIG_CONFDIR="$BRIG_CONFDIR" BRIG_STOREDIR="$BRIG_STOREDIR" \
	$BRIG compose import "$D/09-deviantony-docker-elk-docker-compose.yml" -p corpus --dry-run
expect_grep '^service setup left out: its profiles are setup (--profile NAME takes it in)$' "$OUT"
! printf '%s\n' "$OUT" | grep -q '^corpus_setup {$' || fail "service setup imported without its profile"
echo "compose corpus: $clean of $n files import without anything unmapped"
