# Many brigs on one jail at once: exactly one starts it, the others are told
# "busy" or "already running"; the state stays consistent.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "web { path = \"$ROOT\"; persist; exec.prestart = \"sleep 0.3\"; }"
N=8
round() {	# round VERB: N brigs at once; counts in $T/res.*
	rm -f "$T"/res.*
	i=0
	while [ $i -lt $N ]; do
		( "$BRIG" "$1" web >"$T/res.$i" 2>&1; echo "rc=$?" >>"$T/res.$i" ) &
		i=$((i + 1))
	done
	wait
	cat "$T"/res.* >"$T/all"
}

for r in 1 2 3; do
	round start
	remember_cgroups web
	expect_eq "created (round $r)" 1 "$(grep -c '^web: created$' "$T/all")"
	others=$(grep -cE 'web: busy: another brig is starting or stopping it|^web: already running$' "$T/all")
	expect_eq "busy or already running" $((N - 1)) "$others"
	expect_eq "one init" 1 "$(count_inits)"
	expect_rc 0 "$BRIG" ls
	expect_eq "one jail listed" 1 "$(printf '%s\n' "$OUT" | grep -c ' web ')"

	round stop
	expect_eq "removed (round $r)" 1 "$(grep -c '^web: removed$' "$T/all")"
	others=$(grep -cE 'web: busy: another brig is starting or stopping it|^web: not running$' "$T/all")
	expect_eq "busy or not running" $((N - 1)) "$others"
	assert_clean
done

# Starts and stops mixed: whatever the outcome, the state matches reality.
i=0
while [ $i -lt $N ]; do
	if [ $((i % 2)) = 0 ]; then "$BRIG" start web >/dev/null 2>&1 & else "$BRIG" stop web >/dev/null 2>&1 & fi
	i=$((i + 1))
done
wait
expect_rc 0 "$BRIG" ls
listed=$(printf '%s\n' "$OUT" | grep -c ' web ' || true)
expect_eq "listed = running" "$listed" "$(count_inits)"
expect_rc 0 "$BRIG" stop web
assert_clean
