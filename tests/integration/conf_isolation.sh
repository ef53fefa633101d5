# Configuration isolation, as FreeBSD's rc.d/jail reads each
# jail.conf.d/NAME.conf for its own jail: an error in one jail's file
# affects that jail (and its dependents, skipped) only; config check still
# reports every error. brig create refuses a bad block and writes nothing.
# Stopping works from the recorded state, whatever the files say now
# (stop hooks included). destroy refuses while others depend on the jail.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
for fe in jail jls; do ln -s "$BRIG" "$T/$fe"; done
C=$BRIG_CONFDIR/jail.conf.d
S=$BRIG_STOREDIR
L=$T/hooks.log

expect_rc 0 "$BRIG" template create base --from busybox
expect_rc 0 "$BRIG" create web -t base persist \
	"exec.prestop=echo prestop web >> $L" "exec.stop=echo a,b > /tmp/stop.out" \
	"exec.poststop=echo poststop web >> $L"

## create checks the new block against everything before writing it.
expect_rc 1 "$BRIG" create app2 -t base persits
expect_grep 'app2: create: .*app2.conf:[0-9]*:[0-9]*: error: unknown parameter "persits"; did you mean "persist"?' "$ERR"
[ ! -e "$C/app2.conf" ] || fail "a refused create wrote $C/app2.conf"
[ ! -e "$S/jails/app2" ] || fail "a refused create made $S/jails/app2"
store_is_clean() { [ -z "$(ls -A "$S/tmp" 2>/dev/null)" ] || fail "left in $S/tmp"; }
store_is_clean
# An address, an interface or an rdr port another jail has: refused too.
expect_rc 0 "$BRIG" create n1 -t base persist vnet vnet.bridge=br9 ip4.addr=10.9.0.2/24 \
	vnet.interface=epair_n1b rdr='tcp 8080 80'
expect_rc 1 "$BRIG" create n2 -t base persist vnet vnet.bridge=br9 ip4.addr=10.9.0.2/24
expect_grep 'n2: create: ip4.addr "10.9.0.2/24": jail n1 has the same address' "$ERR"
expect_rc 1 "$BRIG" create n2 -t base persist vnet vnet.bridge=br9 vnet.interface=epair_n1b
expect_grep 'n2: create: vnet.interface "epair_n1b": jail n1 uses the same host interface' "$ERR"
expect_rc 1 "$BRIG" create n2 -t base persist vnet vnet.bridge=br9 ip4.addr=10.9.0.3/24 rdr='tcp 8080 8080'
expect_grep 'n2: create: rdr "tcp 8080 8080": host port tcp/8080 is also forwarded by jail n1' "$ERR"
[ ! -e "$C/n2.conf" ] && [ ! -e "$S/jails/n2" ] || fail "a refused create left n2"
store_is_clean
expect_rc 0 "$BRIG" destroy n1

## One bad file: the others start, stop, restart; start --all reports it.
# An admin's typo, written by hand, and a jail that depends on that jail.
printf 'app2 {\n\tpath = "%s";\n\tpersits;\n}\n' "$ROOT" >"$C/app2.conf"
printf 'app3 {\n\tpath = "%s";\n\tpersist;\n\tdepend = app2;\n}\n' "$ROOT" >"$C/app3.conf"
expect_rc 0 "$BRIG" start web
expect_grep '^web: created$' "$OUT"
remember_cgroups web
expect_rc 1 "$BRIG" start app2
expect_grep "app2: .*$C/app2.conf:3:2: error: unknown parameter \"persits\"" "$ERR"
expect_rc 1 "$BRIG" start --all
expect_grep "app2: .*$C/app2.conf:3:2: error: unknown parameter \"persits\"" "$ERR"
expect_grep 'app3: skipped: its dependency "app2" failed to start' "$ERR"
expect_grep '^web: already running$' "$OUT"
expect_rc 1 "$BRIG" config check
expect_grep "$C/app2.conf:3:2: error: unknown parameter \"persits\"" "$ERR"
expect_rc 0 "$BRIG" restart web
expect_rc 0 "$BRIG" stop --all
expect_grep '^web: removed$' "$OUT"
expect_eq "hooks of web's stops" "prestop web
poststop web
prestop web
poststop web" "$(cat "$L")"
rm "$C/app2.conf" "$C/app3.conf" "$L"

## An unclosed block in any file: stop, restart, jail -r, stop --all work.
expect_rc 0 "$BRIG" start web
printf 'bad {\n\tpath = "/nowhere";\n\tpersist;\n' >"$C/bad.conf"
expect_rc 0 "$BRIG" stop web
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" restart web
expect_rc 0 "$T/jail" -r web
expect_grep '^web: removed$' "$OUT"
expect_rc 1 "$BRIG" config check
expect_grep "$C/bad.conf:1:1: error: missing '}': block \"bad\" is not closed" "$ERR"
expect_rc 1 "$BRIG" start bad
expect_grep "bad: .*$C/bad.conf:1:1: error: missing '}'" "$ERR"
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" stop --all
expect_grep '^web: removed$' "$OUT"
rm "$C/bad.conf" "$L"

## Stop hooks come from the record: web's own file broken while it runs.
expect_rc 0 "$BRIG" start web
cp "$C/web.conf" "$T/web.conf.good"
printf 'web {\n\tpath = "/elsewhere";\n\texec.prestop = "echo WRONG >> %s";\n' "$L" >"$C/web.conf"
expect_rc 0 "$BRIG" stop web
expect_eq "recorded hooks" "prestop web
poststop web" "$(cat "$L")"
# exec.stop ran as one command, comma and all.
expect_eq "exec.stop" "a,b" "$(cat "$S/jails/web/upper/tmp/stop.out")"
cp "$T/web.conf.good" "$C/web.conf"

## destroy refuses while a configured jail depends on the jail.
expect_rc 0 "$BRIG" create aa -t base persist
expect_rc 0 "$BRIG" create bb -t base persist depend=aa
expect_rc 1 "$BRIG" destroy aa
expect_grep 'aa: destroy: jail bb depends on it' "$ERR"
[ -f "$C/aa.conf" ] && [ -d "$S/jails/aa" ] || fail "a refused destroy touched aa"
expect_rc 0 "$BRIG" destroy -f aa
# A depend on a jail that is not defined fails that jail only; config
# check warns.
expect_rc 0 "$BRIG" config check
expect_grep 'warning: bb: depend: depends on undefined jail "aa"' "$ERR"
expect_rc 1 "$BRIG" start --all
expect_grep 'bb: depends on undefined jail "aa"' "$ERR"
expect_grep '^web: created$' "$OUT"
expect_rc 0 "$BRIG" stop --all
expect_rc 0 "$BRIG" destroy bb
assert_clean
