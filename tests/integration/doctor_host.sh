# brig doctor alone: the host (issue 17). A healthy host with a running
# jail is all OK (exit 0; --json parsed); then each fault is injected and
# found at its hop, with exit status 1 and the command that repairs it:
# a stale state after brig was SIGKILLed in the middle of a start; a
# leftover cgroup, veth, mount and nft rules that no jail (or declared
# bridge) owns; a jail
# whose configuration has an error (file:line:col). Doctor that cannot run
# (the configuration does not load at all) exits 2.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

# hop TEXT NAME: the status of the hop called NAME in the text output.
hop() {
	printf '%s\n' "$1" | grep -F " $2" | head -1 | awk '{print $1}'
}

conf "web { path = \"$ROOT\"; persist; }
shared { path = \"$ROOT\"; persist; ip4.addr = \"lo|127.0.0.77\"; }"
expect_rc 0 "$BRIG" doctor
expect_eq "shared-IP jail: BPF" OK "$(hop "$OUT" "BPF cgroup sock_addr (shared-IP jail shared)")"
for h in "pid namespaces" "net namespaces" pidfd_open openat2 overlayfs veth bridge \
	nf_tables "layout and controllers" "brig's groups" "filesystem and backend" "quota support" \
	"run directory" "configuration loads"; do
	expect_eq "healthy: $h" OK "$(hop "$OUT" "$h")"
done
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_rc 0 "$BRIG" doctor --json
printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert len(r) == 1 and r[0]["subject"] == "host" and r[0]["status"] in ("OK", "WARN"), r
hops = {h["name"]: h for h in r[0]["hops"]}
assert all(h["status"] != "FAIL" for h in hops.values()), hops
assert hops["run directory"]["status"] == "OK", hops
assert "1 jail running" in hops["run directory"]["seen"], hops["run directory"]
assert hops["cgroups, veths, nft rules, fib rules, mounts no jail owns"]["status"] == "OK"
' || fail "brig doctor --json: $OUT"
expect_rc 0 "$BRIG" stop web

# A stale state: brig SIGKILLed at a fault point of a start after its
# state exists (the first such point).
n=1
while :; do
	expect_rc 137 env BRIG_FAULT=$n "$BRIG" start web
	[ -e "$BRIG_RUNDIR/web/state" ] && break
	n=$((n + 1))
	[ $n -lt 50 ] || fail "no fault point of a start leaves a state"
done
expect_rc 1 "$BRIG" doctor
expect_eq "stale state" FAIL "$(hop "$OUT" "state of jail web")"
expect_grep 'seen: "starting", init [0-9]* \(alive\|gone\), no brig at it; objects: ' "$OUT"
expect_grep 'fix: brig ls (reconciles: removes what the interrupted command left' "$OUT"
# The fix is the fix.
expect_rc 0 "$BRIG" ls
expect_rc 0 "$BRIG" doctor
expect_eq "after brig ls" OK "$(hop "$OUT" "run directory")"
assert_clean

# A leftover cgroup in brig's group (no jail of that name runs), beside
# a running jail's (which keeps the group).
expect_rc 0 "$BRIG" start web
cg=$(dirname "$(head -1 "$T/cgroups")")/ghost
mkdir "$cg"
echo "$cg" >>"$T/cgroups"
expect_rc 1 "$BRIG" doctor
expect_eq "leftover cgroup" FAIL "$(hop "$OUT" "cgroup $cg")"
expect_grep "fix: brig ls, then, if it is still there and empty: rmdir $cg" "$OUT"
rmdir "$cg"

# The jail's lock held by a process that is not a brig (a hook's daemon
# that inherited brig's descriptor): a warning naming it; then its taker
# killed, the process that inherited it still holding it: found through
# /proc/*/fd.
hold_lock "$BRIG_RUNDIR/web/lock"
expect_rc 0 "$BRIG" doctor
expect_eq "lock held" WARN "$(hop "$OUT" "lock of jail web")"
expect_grep "seen: held by pid $holder (flock), not a brig" "$OUT"
expect_grep "fix: end process $holder, which holds $BRIG_RUNDIR/web/lock" "$OUT"
heir=$(tr -d " " <"/proc/$holder/task/$holder/children")
kill -9 "$holder"
wait "$holder" 2>/dev/null || true
expect_rc 0 "$BRIG" doctor
expect_eq "lock inherited" WARN "$(hop "$OUT" "lock of jail web")"
expect_grep "seen: its taker gone; held by pid $heir (sh), which inherited it" "$OUT"
echo go >"$T/go"
n=0
while [ -e "/proc/$heir" ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || fail "the lock's holder $heir did not end"
	sleep 0.05
done
expect_rc 0 "$BRIG" doctor
expect_eq "lock free again" "" "$(hop "$OUT" "lock of jail web")"

# A leftover veth marked as a jail's (its host end's alias, as net/ sets it).
ip link add ghosta type veth peer name ghostb
ip link set ghosta alias jail:ghost
expect_rc 1 "$BRIG" doctor
expect_eq "leftover veth" FAIL "$(hop "$OUT" "veth ghosta")"
expect_grep "seen: host end of jail ghost's pair, which does not run" "$OUT"
ip link del ghosta
expect_rc 0 "$BRIG" doctor
expect_eq "no leftover" OK "$(hop "$OUT" "cgroups, veths, nft rules, fib rules, mounts no jail owns")"

# A pair brig retired (down, off its bridge, renamed brig-IFINDEX: net/)
# while a process holds the namespace of its other end: a WARN until that
# process ends, then nothing (the pair goes with the namespace).
unshare -n sleep 600 </dev/null >/dev/null 2>&1 &
holder=$!
wait_for "the holder made no namespace of its own" netns_differs "$holder"
ip link add ghosta type veth peer name ghostb netns "/proc/$holder/ns/net"
index=$(ip -o link show ghosta | cut -d: -f1)
ip link set ghosta alias jail:ghost
ip link set ghosta name "brig-$index"
expect_rc 0 "$BRIG" doctor
expect_eq "retired veth" WARN "$(hop "$OUT" "veth brig-$index")"
expect_grep "seen: jail ghost's old pair, retired by a stop or a start" "$OUT"
kill "$holder"
wait "$holder" 2>/dev/null || true
wait_for "the retired pair outlived its namespace by 10 s" link_gone "brig-$index"
expect_rc 0 "$BRIG" doctor
expect_eq "no leftover once the holder is gone" OK \
	"$(hop "$OUT" "cgroups, veths, nft rules, fib rules, mounts no jail owns")"
expect_rc 0 "$BRIG" stop web

# A mount left below the path of a jail that does not run: a warning
# (brig leaves none there; the admin may have made it).
mount -t tmpfs leftover "$ROOT/tmp"
expect_rc 0 "$BRIG" doctor
expect_eq "leftover mount" WARN "$(hop "$OUT" "mount $ROOT/tmp")"
expect_grep "fix: umount $ROOT/tmp if it is not yours" "$OUT"
umount "$ROOT/tmp"

# Rules of brig's table tagged for a jail that does not run.
nft add table inet brig
nft add chain inet brig forward '{ type filter hook forward priority 0; }'
nft add rule inet brig forward counter comment '"jail:ghost"'
nft add rule inet brig forward counter comment '"bridge:gone0"'
expect_rc 1 "$BRIG" doctor
expect_eq "leftover nft rules" FAIL "$(hop "$OUT" 'nft rules "jail:ghost"')"
expect_eq "leftover bridge rules" FAIL "$(hop "$OUT" 'nft rules "bridge:gone0"')"
expect_grep "fix: declare bridge gone0 in networks.conf again and brig net down gone0" "$OUT"
nft delete table inet brig
expect_rc 0 "$BRIG" doctor

# A jail with an error of its own (configuration isolation: the others
# still load): named with file:line:col.
conf "web { path = \"$ROOT\"; persist; }
bad { path = \"$ROOT\"; persist = maybe; }"
expect_rc 1 "$BRIG" doctor
expect_eq "configuration error" FAIL "$(hop "$OUT" "jail bad")"
expect_grep "seen: .*jail.conf:2:[0-9]*: " "$OUT"
expect_eq "the good jail" "" "$(hop "$OUT" "jail web")"

# Doctor cannot run: the configuration does not load.
expect_rc 2 "$BRIG" doctor -f "$T/nonexistent.conf"
