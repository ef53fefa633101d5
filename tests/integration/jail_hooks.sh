# Hooks: jail(8)'s order and places, lists, JID/JNAME/JPATH, -v, users,
# exec.clean, exec.consolelog, exec.timeout, and a failing hook rolling the
# start back.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

L=$ROOT/log	# one log: host hooks write it there, jail hooks as /log
conf_hooks() {	# conf_hooks EXTRA...: web with every hook, plus EXTRA lines
	cat >"$BRIG_CONFDIR/jail.conf" <<EOC
web {
	path = "$ROOT";
	persist;
	exec.prepare = "echo prepare >> $L";
	exec.prestart = "echo prestart >> $L", "echo prestart2 >> $L";
	exec.created = 'echo created \$JID >> $L';
	exec.start = "echo start >> /log";
	command = "echo command >> /log";
	exec.poststart = 'echo poststart \$JID \$JNAME \$JPATH >> $L';
	exec.prestop = "echo prestop >> $L";
	exec.stop = "echo stop >> /log";
	exec.poststop = "echo poststop >> $L";
	exec.release = "echo release >> $L";
	$*
}
EOC
}

conf_hooks
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_rc 0 "$BRIG" stop web
expect_eq "hook order" "prepare
prestart
prestart2
created 1
start
command
poststart 1 web $ROOT
prestop
stop
poststop
release" "$(cat "$L")"
assert_clean

# -v echoes every command, as jail -v does.
rm -f "$L"
expect_rc 0 "$BRIG" start -v web
expect_grep "^web: run command: /bin/sh -c echo prestart >> $L\$" "$OUT"
expect_grep "^web: run command in jail: /bin/sh -c echo start >> /log\$" "$OUT"
expect_rc 0 "$BRIG" stop web

# A failing hook fails the start, names itself, and undoes everything;
# like jail(8), no stop hook runs on the way back.
for h in exec.prestart exec.created exec.start command exec.poststart; do
	rm -f "$L"
	conf_hooks "$h += \"sh -c 'exit 3'\";"
	expect_rc 1 "$BRIG" start web
	expect_grep "web: start: $h: sh -c 'exit 3': failed (exit status 3)" "$ERR"
	grep -q poststop "$L" && fail "$h: exec.poststop ran on rollback"
	assert_clean
done
conf_hooks 'exec.prepare += "false";'
expect_rc 1 "$BRIG" start web
expect_grep "web: start: exec.prepare: false: failed (exit status 1)" "$ERR"
assert_clean

# A failing stop hook is a warning: the jail goes anyway.
conf_hooks 'exec.prestop += "false";'
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" stop web
expect_grep "warning: web: stop: exec.prestop: false: failed (exit status 1) (going on)" "$ERR"
expect_eq "removed anyway" "web: removed" "$OUT"
assert_clean

# exec.timeout bounds each command, on the host and in the jail.
for h in exec.prestart exec.start; do
	conf_hooks "exec.timeout = 1; $h += \"sleep 30\";"
	t0=$(date +%s)
	expect_rc 1 "$BRIG" start web
	expect_grep "web: start: $h: sleep 30: timed out after 1 s" "$ERR"
	[ $(($(date +%s) - t0)) -lt 10 ] || fail "$h: the timeout did not cut it short"
	assert_clean
done

# Users, environment, console log.
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
web {
	path = "$ROOT";
	persist;
	exec.system_user = nobody;
	exec.jail_user = nobody;
	exec.consolelog = "$T/console";
	exec.prestart = "id -u";
	exec.start = "id -u", "env";
}
EOC
FOO=leak LANG=C.UTF-8 expect_rc 0 "$BRIG" start web
expect_eq "exec.system_user" "65534
web: created" "$OUT"
grep -qx 65534 "$T/console" || fail "exec.jail_user / exec.consolelog: $(cat "$T/console")"
grep -q '^LANG=C.UTF-8$' "$T/console" || fail "LANG did not pass: $(cat "$T/console")"
grep -q '^PATH=' "$T/console" || fail "no PATH in the jail"
grep -q 'FOO' "$T/console" && fail "the caller's environment leaked into the jail"
grep -q '^HOME=/$' "$T/console" || fail "HOME of nobody: $(cat "$T/console")"
expect_rc 0 "$BRIG" stop web
rm -f "$T/console"
sed -i 's/persist;/persist; exec.clean;/' "$BRIG_CONFDIR/jail.conf"
FOO=leak LANG=C.UTF-8 expect_rc 0 "$BRIG" start web
grep -q '^LANG=' "$T/console" && fail "exec.clean: LANG passed"
expect_rc 0 "$BRIG" stop web
assert_clean

# Mounts below path: one that was there before the start is nodev in the
# jail (a hostile tree's device nodes stay inert); one exec.prestart makes
# is the jail's own, kept as it was mounted (FreeBSD's global mounts under
# a jail's path). Without exec.prestart brig does not look for the latter.
mkdir -p "$ROOT/pre" "$ROOT/ps"
mount -t tmpfs pre "$ROOT/pre"
cat >"$BRIG_CONFDIR/jail.conf" <<EOC
web { path = "$ROOT"; persist; exec.prestart = "mount -t tmpfs ps $ROOT/ps"; }
plain { path = "$ROOT"; persist; }
EOC
opts() {	# JAIL MOUNTPOINT: its per-mount options in the jail
	"$BRIG" exec "$1" grep " $2 " /proc/self/mountinfo | awk '{ print $6 }'
}
expect_rc 0 "$BRIG" start web
case "$(opts web /pre)" in *nodev*) ;; *) fail "/pre in the jail is not nodev: $(opts web /pre)" ;; esac
# (A jail with a user namespace gets an idmapped copy of its tree taken
# before exec.prestart runs: what the hook mounts is not in it.)
if [ "${BRIG_TEST_USERNS:-}" != 1 ]; then
	case "$(opts web /ps)" in *nodev*) fail "exec.prestart's /ps made nodev: $(opts web /ps)" ;; "") fail "no /ps in the jail" ;; esac
fi
expect_rc 0 "$BRIG" stop web
umount "$ROOT/ps"
expect_rc 0 "$BRIG" start plain
case "$(opts plain /pre)" in *nodev*) ;; *) fail "/pre in plain is not nodev: $(opts plain /pre)" ;; esac
expect_rc 0 "$BRIG" stop plain
umount "$ROOT/pre"
assert_clean
