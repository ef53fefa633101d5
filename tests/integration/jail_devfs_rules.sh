# devfs_ruleset from devfs.rules(5) (conf/devfs_rules.c): a ruleset of
# CONFDIR/devfs.rules, built on FreeBSD's defaults by `$devfsrules_*`
# includes, decides what the jail's /dev holds; an undefined one or a file
# that does not parse stops the start with FILE:LINE:COL. Also fdescfs in
# the dev/fd of a second devfs (a Linux compat tree) and a jail without
# path (jail(8)'s: the host's /).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/devfs.rules" <<'EOT'
# a DHCP jail: FreeBSD's jail set and bpf (no Linux meaning: not made)
[devfsrules_jail_bpf=11]
add include $devfsrules_jail
add path 'bpf*' unhide
[basic_only=12]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
[jail_no_pts=13]
add include 4
add path 'pts/*' hide
EOT
mkdir -p "$ROOT/compat/dev" "$ROOT/compat/fd"
conf "dhcp { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 11; }
basic { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 12; }
nopts { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 13; }
undef { path = \"$ROOT\"; persist; mount.devfs; devfs_ruleset = 14; }
compat { path = \"$ROOT\"; persist; mount.devfs;
	mount += \"devfs $ROOT/compat/dev devfs rw 0 0\";
	mount += \"fdescfs $ROOT/compat/dev/fd fdescfs rw,linrdlnk 0 0\"; }
badfd { path = \"$ROOT\"; persist; mount += \"fdescfs $ROOT/compat/fd fdescfs rw 0 0\"; }
nopath { persist; }"

expect_rc 0 "$BRIG" config check
expect_grep "jail.conf:1:.*dhcp: devfs_ruleset 11 unhides 'bpf\*' (devfs.rules:4:1): no such device" "$ERR"
expect_grep "undef: devfs_ruleset: ruleset 14 is defined neither" "$ERR"

for j in dhcp basic nopts compat nopath; do
	expect_rc 0 "$BRIG" start "$j"
	remember_cgroups "$j"
done
# 11: the jail set (4): basic nodes, ptys and fd links.
expect_rc 0 "$BRIG" exec dhcp sh -c 'ls /dev'
for n in null zero random urandom ptmx pts fd stdin; do
	printf '%s\n' "$OUT" | grep -qx "$n" || fail "dhcp: no /dev/$n: $OUT"
done
printf '%s\n' "$OUT" | grep -q bpf && fail "dhcp: a bpf node: $OUT"
# 12: hide_all + unhide_basic: the basic nodes alone.
expect_rc 0 "$BRIG" exec basic sh -c 'ls /dev'
printf '%s\n' "$OUT" | grep -qx null || fail "basic: no /dev/null: $OUT"
printf '%s\n' "$OUT" | grep -qx -e ptmx -e pts -e fd && fail "basic: login nodes: $OUT"
# 13: 4 with pts/* hidden: no pty, the rest.
expect_rc 0 "$BRIG" exec nopts sh -c 'ls /dev'
printf '%s\n' "$OUT" | grep -qx -e ptmx -e pts && fail "nopts: ptys: $OUT"
printf '%s\n' "$OUT" | grep -qx null || fail "nopts: no /dev/null: $OUT"
# fdescfs at compat/dev/fd: that devfs's fd link.
expect_rc 0 "$BRIG" exec compat readlink /compat/dev/fd
expect_eq "compat: /compat/dev/fd" /proc/self/fd "$OUT"
# No path: the host's tree (this test's files), its own PID namespace.
echo here >"$T/marker"
expect_rc 0 "$BRIG" exec nopath cat "$T/marker"
expect_eq "nopath: the host's files" here "$OUT"
expect_rc 0 "$BRIG" exec nopath sh -c 'cat /proc/1/comm'
expect_eq "nopath: its own init" memfd:brig-init "$OUT"
# ... and a /dev of brig's (ruleset 4), not the host's devices.
expect_rc 0 "$BRIG" exec nopath sh -c 'echo x >/dev/null && ls /dev'
printf '%s\n' "$OUT" | grep -qx ptmx || fail "nopath: no /dev/ptmx: $OUT"
printf '%s\n' "$OUT" | grep -qx kmsg && fail "nopath: the host's /dev: $OUT"

expect_rc 1 "$BRIG" start undef
expect_grep "jail.conf:4:.*devfs_ruleset: ruleset 14 is defined neither by FreeBSD's defaults" "$ERR"
expect_rc 1 "$BRIG" start badfd
expect_grep "fdescfs at /compat/fd: no devfs mounted at /compat before it" "$ERR"
expect_rc 0 "$BRIG" stop --all
# A devfs.rules that does not parse: FILE:LINE:COL, the jail does not start.
printf '[x=11]\nadd path bpf unhyde\n' >"$BRIG_CONFDIR/devfs.rules"
expect_rc 1 "$BRIG" start dhcp
expect_grep "$BRIG_CONFDIR/devfs.rules:2:14: unexpected word in a rule: unhyde" "$ERR"
assert_clean
