# depend: dependencies fully started first, stopped last; independent jails
# in parallel; a failure skips its dependents only.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

L=$T/order
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* {
	path = "$ROOT";
	persist;
	exec.prestart = 'echo start \$JNAME >> $L';
	exec.poststart = 'echo started \$JNAME >> $L';
	exec.poststop = 'echo stopped \$JNAME >> $L';
}
db { }
cache { }
web { depend = db, cache; }
front { depend = web; }
other { }
EOC

# Starting front pulls in web, db and cache, in order.
expect_rc 0 "$BRIG" start front
for j in db cache web front; do
	remember_cgroups $j
	expect_grep "^$j: created\$" "$OUT"
done
expect_rc 0 "$BRIG" ls
printf '%s\n' "$OUT" | grep -q other && fail "other was started"
# web started only after db and cache had finished exec.poststart; front
# only after web.
line() { grep -n "^$1\$" "$L" | cut -d: -f1; }
[ "$(line 'started db')" -lt "$(line 'start web')" ] || fail "web before db: $(cat "$L")"
[ "$(line 'started cache')" -lt "$(line 'start web')" ] || fail "web before cache: $(cat "$L")"
[ "$(line 'started web')" -lt "$(line 'start front')" ] || fail "front before web: $(cat "$L")"

# Stopping db stops its dependents first (front, then web).
rm -f "$L"
expect_rc 0 "$BRIG" stop db
[ "$(line 'stopped front')" -lt "$(line 'stopped web')" ] || fail "stop order: $(cat "$L")"
[ "$(line 'stopped web')" -lt "$(line 'stopped db')" ] || fail "stop order: $(cat "$L")"
expect_rc 0 "$BRIG" ls
expect_grep "cache" "$OUT"
printf '%s\n' "$OUT" | grep -qE " (db|web|front) " && fail "dependents still run: $OUT"
expect_rc 0 "$BRIG" stop --all

# A failing dependency: its dependents are skipped, independent jails run,
# the exit status is 1.
sed -i 's/^db { }$/db { exec.start = "false"; }/' "$BRIG_CONFDIR/jail.conf"
expect_rc 1 "$BRIG" start --all
expect_grep "db: start: exec.start: false: failed" "$ERR"
expect_grep "web: skipped: its dependency \"db\" failed to start" "$ERR"
expect_grep "front: skipped: its dependency \"db\" failed to start" "$ERR"
expect_grep "^cache: created\$" "$OUT"
expect_grep "^other: created\$" "$OUT"
remember_cgroups other
expect_rc 0 "$BRIG" stop --all
assert_clean

# Independent jails start in parallel: each one's exec.prestart waits (up
# to 5 s) until all three have reached it, which only parallel starts can
# do; with -p 1 the first one gives up.
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* {
	path = "$ROOT";
	persist;
	exec.prestart = 'touch $T/m.\$JNAME; i=0; while [ \$(ls $T/m.* | wc -l) -lt 3 ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done; [ \$i -lt 50 ]';
}
a { }
b { }
c { }
EOC
expect_rc 0 "$BRIG" start -p 3 --all
for j in a b c; do remember_cgroups $j; done
expect_rc 0 "$BRIG" stop --all
rm -f "$T"/m.*
expect_rc 1 "$BRIG" start -p 1 --all
expect_grep "a: start: exec.prestart: .*failed" "$ERR"
expect_rc 0 "$BRIG" stop --all
assert_clean
