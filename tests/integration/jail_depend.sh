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

# Independent jails start in parallel; -p 1 makes them sequential.
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* { path = "$ROOT"; persist; exec.prestart = "sleep 1"; }
a { }
b { }
c { }
EOC
ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(ms)
expect_rc 0 "$BRIG" start -p 3 --all
par=$(($(ms) - t0))
for j in a b c; do remember_cgroups $j; done
expect_rc 0 "$BRIG" stop --all
t0=$(ms)
expect_rc 0 "$BRIG" start -p 1 --all
seq=$(($(ms) - t0))
expect_rc 0 "$BRIG" stop --all
echo "parallel: $par ms, sequential: $seq ms"
[ "$par" -lt 2500 ] || fail "3 jails with -p 3 took $par ms (1 s each)"
[ "$seq" -ge 3000 ] || fail "3 jails with -p 1 took only $seq ms"
assert_clean
