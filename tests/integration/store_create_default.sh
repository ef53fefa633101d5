# A fresh jail stays up, as a FreeBSD jail does with its rc.conf defaults:
# `brig create app -t base; brig start app; brig exec app sh` works. The
# busybox template's rc starts syslogd and crond unless the jail's rc.conf
# turns them off, logging into the jail's /var/log. What create writes is a
# complete, commented block. The output of the jail's rc (and of the
# services it starts) goes to the console log: exec.consolelog, else
# brig's own, $BRIG_LOGDIR/NAME.log (brig logs shows it).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
C=$BRIG_CONFDIR/jail.conf.d

expect_rc 0 "$BRIG" template create base --from busybox
expect_rc 0 "$BRIG" create app -t base
# The block: commented, with the defaults a FreeBSD admin looks for.
f=$C/app.conf
grep -q '^app {$' "$f" || fail "no block in $f: $(cat "$f")"
for p in exec.start exec.stop mount.devfs path; do
	grep -q "^	$p[ ;]" "$f" || fail "$f does not set $p: $(cat "$f")"
done
for p in persist exec.restart exec.consolelog vnet ip4.addr; do
	grep -q "^	#$p[ ;]" "$f" || fail "$f shows no commented $p: $(cat "$f")"
done
[ "$(grep -c '^	# ' "$f")" -ge 5 ] || fail "$f explains too little: $(cat "$f")"

# The issue's case: create, start, exec.
expect_rc 0 "$BRIG" start app
expect_eq "start app" "app: created" "$OUT"
remember_cgroups app
expect_rc 0 "$BRIG" exec app true
# syslogd and crond run, syslogd writes the jail's /var/log/messages.
expect_rc 0 "$BRIG" exec app ps -o comm
expect_grep '^syslogd$' "$OUT"
expect_grep '^crond$' "$OUT"
expect_rc 0 "$BRIG" exec app logger -t brigtest hello-from-logger
R=$BRIG_STOREDIR/jails/app/root
tries=0
until grep -q 'brigtest.*hello-from-logger' "$R/var/log/messages" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "syslogd wrote no /var/log/messages: $(cat "$R/var/log/messages" 2>&1)"
	sleep 0.1
done
# The rc said what it started, into brig's console log for the jail.
expect_grep 'Starting syslogd\.' "$(cat "$BRIG_LOGDIR/app.log" 2>&1)"
expect_grep 'Starting crond\.' "$(cat "$BRIG_LOGDIR/app.log" 2>&1)"
expect_rc 0 "$BRIG" stop app
expect_rc 0 "$BRIG" destroy app

# The rest edits a stopped jail's files: a thick jail, whose root is
# always at its path.
expect_rc 0 "$BRIG" create app -t base --thick
f=$C/app.conf
R=$BRIG_STOREDIR/jails/app/root

# Each can be turned off in the jail's rc.conf: with both off, nothing runs.
printf 'syslogd_enable="NO"\ncrond_enable="NO"\n' >>"$R/etc/rc.conf"
expect_rc 1 "$BRIG" start app
expect_eq "start app without services" "brig: app: started, then ended: no process left (add persist, or enable a service)" "$ERR"

# A service's own output (its stderr) and the rc's: in the console log.
# An rc.d script of the admin's own, and a daemon run by run_rc_command.
mkdir -p "$R/etc/rc.d" "$R/usr/local/bin"
printf '#!/bin/sh\necho "rc.d hello says $1"\necho "rc.d hello warns" >&2\n' >"$R/etc/rc.d/hello"
chmod 755 "$R/etc/rc.d/hello"
printf '#!/bin/sh\necho "talker says hi" >&2\nexec sleep 100000\n' >"$R/usr/local/bin/talker"
chmod 755 "$R/usr/local/bin/talker"
printf '#!/bin/sh\nname=talker\ncommand=/usr/local/bin/talker\n. /etc/rc.subr\nrun_rc_command "$1"\n' \
	>"$R/etc/init.d/talker"
chmod 755 "$R/etc/init.d/talker"
printf 'hello_enable="YES"\ntalker_enable="YES"\n' >>"$R/etc/rc.conf"
: >"$BRIG_LOGDIR/app.log"
expect_rc 0 "$BRIG" start app
remember_cgroups app
tries=0
until grep -q 'talker says hi' "$BRIG_LOGDIR/app.log"; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "the service's stderr is not in the console log: $(cat "$BRIG_LOGDIR/app.log")"
	sleep 0.1
done
log=$(cat "$BRIG_LOGDIR/app.log")
expect_grep '^rc.d hello says start$' "$log"
expect_grep '^rc.d hello warns$' "$log"
expect_grep '^Starting talker\.$' "$log"
# talker_enable: the service's status works (its pid file is right).
expect_rc 0 "$BRIG" exec app /etc/init.d/talker status
expect_grep 'talker is running' "$OUT"
expect_rc 0 "$BRIG" stop app
expect_grep '^rc.d hello says stop$' "$(cat "$BRIG_LOGDIR/app.log")"

# exec.consolelog set: the output goes there, as jail(8) has it.
sed -i "s|^app {\$|app {\n\texec.consolelog = \"$T/console\";|" "$f"
expect_rc 0 "$BRIG" start app
tries=0
until grep -q 'talker says hi' "$T/console" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "exec.consolelog: $(cat "$T/console" 2>&1)"
	sleep 0.1
done
expect_grep '^rc.d hello says start$' "$(cat "$T/console")"
expect_rc 0 "$BRIG" stop app
expect_rc 0 "$BRIG" destroy app
assert_clean
