# Snapshots and rollback of thin (overlay) and thick (copy) jails.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR

expect_rc 0 $BRIG template create bb --from busybox
for kind in thin thick; do
	j=j$kind
	if [ $kind = thick ]; then
		expect_rc 0 $BRIG create $j -t bb --thick
	else
		expect_rc 0 $BRIG create $j -t bb
	fi
	R=$S/jails/$j/root
	mk_rich_tree "$R/data"
	echo one >"$R/etc/motd"
	rm "$R/etc/shells"
	tree_manifest "$R" >"$T/at-s1"
	expect_rc 0 $BRIG snapshot $j s1
	expect_grep "$j: snapshot s1 taken" "$OUT"

	# Change everything: contents, a removed template file, new files,
	# modes, xattrs, a removed directory.
	echo two >"$R/etc/motd"
	echo back >"$R/etc/shells"
	rm -r "$R/data/deep" "$R/bin/ls"
	chmod 600 "$R/data/binary"
	python3 -c "import os; os.setxattr('$R/data/binary', 'user.new', b'1')"
	echo new >"$R/new-file"
	expect_rc 0 $BRIG snapshot $j
	auto=$(echo "$OUT" | sed -n "s/^$j: snapshot \(.*\) taken$/\1/p")
	printf '%s\n' "$auto" | grep -Eq '^[0-9]{8}-[0-9]{6}$' || fail "default snapshot name [$auto]"
	tree_manifest "$R" >"$T/at-auto"

	expect_rc 0 $BRIG snapshots $j
	expect_grep "^s1 " "$OUT"
	expect_grep "^$auto " "$OUT"
	expect_rc 0 $BRIG snapshots $j --json
	printf '%s' "$OUT" | python3 -c "
import json, sys
v = json.load(sys.stdin)
assert [s['name'] for s in v] == ['s1', '$auto'], v
assert all(isinstance(s['created'], int) for s in v)
" || fail "snapshots --json: $OUT"

	# Rollback restores exactly; the thin root stays mounted.
	expect_rc 0 $BRIG rollback $j s1
	expect_grep "$j: rolled back to snapshot s1" "$OUT"
	tree_manifest "$R" >"$T/now"
	diff -u "$T/at-s1" "$T/now" >&2 || fail "$kind: rollback to s1 is not exact"
	if [ $kind = thin ]; then
		findmnt -n -o FSTYPE "$R" | grep -qx overlay || fail "root not mounted after rollback"
	fi
	expect_rc 0 $BRIG rollback $j "$auto"
	tree_manifest "$R" >"$T/now"
	diff -u "$T/at-auto" "$T/now" >&2 || fail "$kind: rollback to $auto is not exact"

	# Bad input.
	expect_rc 1 $BRIG snapshot $j s1
	expect_grep "$j: snapshot s1: snapshot s1 exists already" "$ERR"
	expect_rc 1 $BRIG snapshot $j ../x
	expect_grep 'invalid name' "$ERR"
	expect_rc 1 $BRIG rollback $j nope
	expect_grep "$j: rollback to nope: no snapshot \`nope\`" "$ERR"
	expect_rc 1 $BRIG snapshot rm $j nope
	expect_grep "no snapshot \`nope\`" "$ERR"
	expect_rc 1 $BRIG snapshot nojail
	expect_grep 'no jail `nojail`' "$ERR"
	expect_rc 2 $BRIG rollback $j
	expect_rc 2 $BRIG snapshot

	expect_rc 0 $BRIG snapshot rm $j s1
	expect_rc 0 $BRIG snapshots $j
	! printf '%s\n' "$OUT" | grep -q '^s1 ' || fail "s1 still listed"
	[ ! -e "$S/jails/$j/snapshots/s1" ] || fail "s1 still stored"
	store_is_clean
	expect_rc 0 $BRIG destroy $j
done
store_is_clean
