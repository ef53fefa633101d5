# A thin jail running: its rc starts what rc.conf enables, its root is seen
# on the host, and destroy, rollback and export refuse it (or stop it, or
# say what a live export gives). Needs core (brig start).
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR

expect_rc 0 $BRIG template create bb --from busybox
expect_rc 0 $BRIG create web -t bb
R=$S/jails/web/root
printf 'httpd_enable="YES"\nhttpd_flags="-p 127.0.0.1:8080 -h /var/www"\nnc_enable="YES"\nnc_flags="-p 5432 -e /bin/cat"\n' \
	>>"$R/etc/rc.conf"
echo "hello from web" >"$R/var/www/index.html"

set +e
$BRIG start web >"$T/out" 2>"$T/err"
rc=$?
set -e
grep -q 'not implemented' "$T/err" && skip "brig start is not implemented in this build"
[ $rc = 0 ] || fail "brig start web: $(cat "$T/err")"
# From here on the jail runs: stop it whatever happens.
trap '$BRIG stop web >/dev/null 2>&1 || true' EXIT

findmnt -n -o FSTYPE "$R" | grep -qx overlay || fail "the root is not visible on the host"
ok=
for i in 1 2 3 4 5 6 7 8 9 10; do
	if $BRIG exec web /bin/sh -c 'wget -q -O- http://127.0.0.1:8080/' >"$T/page" 2>/dev/null; then
		ok=1
		break
	fi
	sleep 0.3
done
[ -n "$ok" ] || fail "httpd (started by /etc/rc) does not answer"
expect_eq "page" "hello from web" "$(cat "$T/page")"
expect_rc 0 $BRIG exec web /bin/sh -c 'echo ping | nc 127.0.0.1 5432'
expect_eq "nc echo" ping "$OUT"

expect_rc 0 $BRIG snapshot web s1
expect_rc 1 $BRIG destroy web
expect_grep 'web: destroy: the jail is running; stop it first (brig stop web) or use -f' "$ERR"
expect_rc 1 $BRIG rollback web s1
expect_grep 'web: rollback: the jail is running; stop it first' "$ERR"
expect_rc 1 $BRIG export web "$T/web.tzst"
expect_grep 'web: export: the jail is running; stop it first, or use --live' "$ERR"
[ ! -e "$T/web.tzst" ] || fail "a refused export made a file"
expect_rc 0 $BRIG export web "$T/web.tzst" --live
expect_grep 'web: exported while running; the archive is file by file' "$OUT"

# A stop leaves the root at its path (store_thinroot has the rest).
expect_rc 0 $BRIG stop web
findmnt -n -o FSTYPE "$R" | grep -qx overlay || fail "the root is not mounted after stop"
grep -q '^httpd_enable' "$S/jails/web/upper/etc/rc.conf" || fail "web's own files lost"
expect_rc 0 $BRIG start web
findmnt -n -o FSTYPE "$R" | grep -qx overlay || fail "the root is not mounted"
expect_rc 0 $BRIG exec web /bin/cat /var/www/index.html
expect_eq "page after restart" "hello from web" "$OUT"

# -f stops it first; then nothing of it is left, no mount.
expect_rc 0 $BRIG destroy -f web
expect_grep 'web: destroyed' "$OUT"
trap - EXIT
[ ! -e "$S/jails/web" ] || fail "web's storage left"
! findmnt -rn -o TARGET | grep -q "^$S" || fail "mounts left: $(findmnt -rn -o TARGET | grep "^$S")"
store_is_clean
