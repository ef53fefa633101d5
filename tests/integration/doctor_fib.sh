# brig doctor and exec.fib (issue 20): JAIL's hops "socket mark" and
# "routing table N IPv4/IPv6". A shared-IP jail with exec.fib = 100 whose
# table has default routes is OK (naming them); a default route deleted
# is a warning naming the table and the two fixes (an unreachable default
# is OK again, FreeBSD's way); its rule deleted, or sent to another
# table, or the program that marks its sockets detached (lib/cgdetach.c),
# is a failure (exit 1). An IPv4-only jail: two socket() programs
# expected, no IPv6 default route needed. A vnet jail's rule and table are read in its own namespace. The host's
# doctor names a rule of brig's (proto 98, the mark's tag) left for a JID
# no jail has, and one of a running jail's JID that its state does not
# record, with the `ip rule del` that removes it; --json too.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v python3 >/dev/null || skip "python3 missing"
command -v ip >/dev/null || skip "ip missing (the test injects faults with it)"
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail cannot have a user namespace"
command -v cc >/dev/null 2>&1 || skip "no C compiler for lib/cgdetach.c"
cc -O1 -o "$T/cgdetach" tests/integration/lib/cgdetach.c || fail "cgdetach does not build"

# hop TEXT NAME: the status of the hop called NAME in the text output.
hop() {
	printf '%s\n' "$1" | grep -F " $2" | head -1 | awk '{print $1}'
}
# json_hop SUBJECT-INDEX NAME STATUS: the last --json report ($OUT) has a
# hop NAME with that status, and a fix when it is a FAIL or a WARN.
json_hop() {
	printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
h = [h for h in r[0]["hops"] if h["name"] == sys.argv[1]]
assert h and h[0]["status"] == sys.argv[2], (sys.argv[1:], r)
assert h[0]["status"] not in ("FAIL", "WARN") or h[0]["fix"], h
' "$1" "$2" || fail "--json: no $2 hop \"$1\": $OUT"
}

ip link add lan0 type veth peer name lan1
ip addr add 192.0.2.1/24 dev lan0
ip addr add 2001:db8::1/64 dev lan0 nodad
ip link set lan1 up
ip link set lan0 up
ip route add default via 192.0.2.2 dev lan0 table 100
ip -6 route add default via 2001:db8::2 dev lan0 table 100
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; ip6.addr = \"lan0|2001:db8::11/64\";
	exec.fib = 100; }"
expect_rc 0 "$BRIG" start f
remember_cgroups f
jid=$(jstate "$BRIG_RUNDIR/f/state" jid)
mark=$(printf '0x%x' $((0xb0000000 + jid)))
rule="fwmark $mark/0xf0003fff lookup 100"

# Healthy: the program and both rules, each table's default route named.
expect_rc 0 "$BRIG" doctor f -v
printf '%s\n' "$OUT"
expect_grep "^  OK   jail     socket mark$" "$OUT"
expect_grep "^  OK   jail     routing table 100 IPv4$" "$OUT"
expect_grep "^  OK   jail     routing table 100 IPv6$" "$OUT"
expect_grep "seen: $rule; default via 192.0.2.2 dev lan0; expected: $rule$" "$OUT"
expect_grep "seen: $rule; default via 2001:db8::2 dev lan0; expected: $rule$" "$OUT"
# (a shared-IP jail with both families has no socket() program of its own)
expect_grep "seen: 1 socket() program on .*; expected: 1 socket() program, the mark's among them$" "$OUT"
expect_rc 0 "$BRIG" doctor f --json
json_hop "routing table 100 IPv4" OK
json_hop "socket mark" OK

# Table 100 without its IPv4 default route: what it does not route goes by
# main, silently. A warning (exit 0), the fixes named.
ip route del default table 100
expect_rc 0 "$BRIG" doctor f
expect_eq "no default route" WARN "$(hop "$OUT" "routing table 100 IPv4")"
expect_eq "IPv6 still" OK "$(hop "$OUT" "routing table 100 IPv6")"
expect_grep "seen: $rule; table 100 has no default route: what it does not route goes by the main table, silently; expected: a default route in table 100$" "$OUT"
expect_grep "fix: ip route add default via GATEWAY table 100; or, to refuse the rest as FreeBSD does: ip route add unreachable default table 100$" "$OUT"
expect_rc 0 "$BRIG" doctor f --json
json_hop "routing table 100 IPv4" WARN
# FreeBSD's way is OK too.
ip route add unreachable default table 100
expect_rc 0 "$BRIG" doctor f -v
expect_grep "seen: $rule; unreachable default; expected: $rule$" "$OUT"
expect_eq "unreachable default" OK "$(hop "$OUT" "routing table 100 IPv4")"
ip -6 route del default table 100
expect_rc 0 "$BRIG" doctor f
expect_grep "fix: ip -6 route add default via GATEWAY table 100; or, to refuse the rest as FreeBSD does: ip -6 route add unreachable default table 100$" "$OUT"
ip -6 route add default via 2001:db8::2 dev lan0 table 100

# The rule gone: a failure, exit 1.
ip rule del fwmark "$mark/0xf0003fff" lookup 100 pref 1000
expect_rc 1 "$BRIG" doctor f
expect_eq "rule deleted" FAIL "$(hop "$OUT" "routing table 100 IPv4")"
expect_eq "the IPv6 rule is there" OK "$(hop "$OUT" "routing table 100 IPv6")"
expect_grep "seen: no rule of the jail's mark in the host's namespace; expected: $rule$" "$OUT"
expect_grep "fix: brig restart f (meanwhile its IPv4 traffic goes by the main table)$" "$OUT"
expect_rc 1 "$BRIG" doctor f --json
json_hop "routing table 100 IPv4" FAIL
# Its mark sent to another table.
ip rule add fwmark "$mark/0xf0003fff" lookup 101 pref 1000 proto 98
expect_rc 1 "$BRIG" doctor f
expect_grep "seen: the jail's mark goes to table 101 in the host's namespace; expected: $rule$" "$OUT"
# ... which the host's doctor names too: f's state does not record it.
expect_rc 1 "$BRIG" doctor
expect_eq "unrecorded rule" FAIL "$(hop "$OUT" "IPv4 rule fwmark $mark/0xf0003fff lookup 101")"
expect_grep "seen: JID $jid, jail f's, whose state does not record it; expected: none$" "$OUT"
expect_eq "f's own is recorded" "" "$(hop "$OUT" "IPv6 rule fwmark $mark/0xf0003fff lookup 100")"
ip rule del fwmark "$mark/0xf0003fff" lookup 101 pref 1000
ip rule add fwmark "$mark/0xf0003fff" lookup 100 pref 1000 proto 98
expect_rc 0 "$BRIG" doctor f
# The program that marks its sockets detached: a failure.
for d in $(jstate "$BRIG_RUNDIR/f/state" obj cgroup); do
	[ "$(stat -f -c %T "$d")" != cgroup2fs ] || v2=$d
done
"$T/cgdetach" "$v2" || fail "the mark's program was not detached from $v2"
expect_rc 1 "$BRIG" doctor f
expect_eq "no mark" FAIL "$(hop "$OUT" "socket mark")"
expect_grep "seen: 0 socket() programs on $v2; expected: 1 socket() program, the mark's among them$" "$OUT"
expect_grep "fix: brig restart f (its sockets carry no mark: they route by the main table)$" "$OUT"
expect_rc 0 "$BRIG" stop f
assert_clean

# An IPv4-only jail: sys/sockaddr.c's socket() program refuses its IPv6
# sockets, the mark's is the second; table 100 without an IPv6 default
# route is no warning for a jail without IPv6.
conf "g { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.12\"; exec.fib = 100; }"
expect_rc 0 "$BRIG" start g
remember_cgroups g
ip -6 route del default table 100
gmark=$(printf '0x%x' $((0xb0000000 + $(jstate "$BRIG_RUNDIR/g/state" jid))))
expect_rc 0 "$BRIG" doctor g -v
expect_grep "seen: 2 socket() programs on .*; expected: 2 socket() programs, the mark's among them$" "$OUT"
expect_grep "seen: fwmark $gmark/0xf0003fff lookup 100; no default route, and the jail has no IPv6 address; expected: " "$OUT"
expect_eq "IPv4-only: IPv6" OK "$(hop "$OUT" "routing table 100 IPv6")"
expect_rc 0 "$BRIG" stop g
assert_clean

# A rule left for a JID no jail has (99): the host's doctor names it.
ip rule add fwmark 0xb0000063/0xf0003fff lookup 100 pref 1000 proto 98
expect_rc 1 "$BRIG" doctor
expect_eq "stale rule" FAIL "$(hop "$OUT" "IPv4 rule fwmark 0xb0000063/0xf0003fff lookup 100")"
expect_grep "seen: JID 99, which no jail has; expected: none$" "$OUT"
expect_grep "fix: ip rule del fwmark 0xb0000063/0xf0003fff lookup 100 pref 1000 proto 98$" "$OUT"
expect_rc 1 "$BRIG" doctor --json
json_hop "IPv4 rule fwmark 0xb0000063/0xf0003fff lookup 100" FAIL
# JID 0 (no jail's) while a run directory entry without a state (a lock
# held: JID unknown) is there: no jail's either.
mkdir "$BRIG_RUNDIR/ghost"
: >"$BRIG_RUNDIR/ghost/lock"
flock "$BRIG_RUNDIR/ghost/lock" sleep 600 &
holder=$!
ip rule add fwmark 0xb0000000/0xf0003fff lookup 100 pref 1000 proto 98
expect_rc 1 "$BRIG" doctor
expect_grep "seen: JID 0, which no jail has; expected: none$" "$OUT"
ip rule del fwmark 0xb0000000/0xf0003fff lookup 100 pref 1000 proto 98
kill "$holder"
wait "$holder" 2>/dev/null || true
rm -r "$BRIG_RUNDIR/ghost"
# Not brig's (no proto 98, or another tag): not named.
ip rule add fwmark 0xb0000064/0xf0003fff lookup 100 pref 1000
ip rule add fwmark 0xa0000065/0xf0003fff lookup 100 pref 1000 proto 98
expect_rc 1 "$BRIG" doctor
expect_eq "not brig's" "" "$(hop "$OUT" "0xb0000064")"
expect_eq "another tag" "" "$(hop "$OUT" "0xa0000065")"
# The fix is the fix.
ip rule del fwmark 0xb0000063/0xf0003fff lookup 100 pref 1000 proto 98
expect_rc 0 "$BRIG" doctor
expect_eq "no leftover" OK "$(hop "$OUT" "cgroups, veths, nft rules, fib rules, mounts no jail owns")"
ip rule del fwmark 0xb0000064/0xf0003fff lookup 100 pref 1000
ip rule del fwmark 0xa0000065/0xf0003fff lookup 100 pref 1000

# A vnet jail: its rule and table 100 are in its own namespace (its
# exec.start adds the default route there); none on the host's.
ip link add br0 type bridge
ip addr add 10.40.0.1/24 dev br0
ip link set br0 up
conf "v { path = \"$ROOT\"; persist; vnet; vnet.bridge = br0; vnet.interface = epair_vb;
	ip4.addr = \"10.40.0.10/24\"; ip4.defaultrouter = 10.40.0.1; exec.fib = 100;
	exec.start = \"ip route add default via 10.40.0.1 table 100\"; }"
expect_rc 0 "$BRIG" start v
remember_cgroups v
vjid=$(jstate "$BRIG_RUNDIR/v/state" jid)
vmark=$(printf '0x%x' $((0xb0000000 + vjid)))
vrule="fwmark $vmark/0xf0003fff lookup 100"
in_v() { nsenter -t "$(jstate "$BRIG_RUNDIR/v/state" init)" -n "$@"; }
# (its other hops are not this test's: a bridge without NAT or DNS)
vdoctor() { OUT=$("$BRIG" doctor v "$@" 2>&1) || true; }
vdoctor -v
printf '%s\n' "$OUT"
expect_eq "vnet: IPv4" OK "$(hop "$OUT" "routing table 100 IPv4")"
expect_grep "seen: $vrule; default via 10.40.0.1; expected: $vrule$" "$OUT"
expect_grep "seen: $vrule; no default route, and the jail has no IPv6 address; expected: $vrule$" "$OUT"
expect_eq "vnet: program" OK "$(hop "$OUT" "socket mark")"
in_v ip route del default table 100
vdoctor
expect_eq "vnet: no default route" WARN "$(hop "$OUT" "routing table 100 IPv4")"
expect_grep "fix: in the jail's namespace (brig exec v ...): ip route add default via GATEWAY table 100; or" "$OUT"
in_v ip rule del fwmark "$vmark/0xf0003fff" lookup 100 pref 1000
vdoctor
expect_eq "vnet: no rule" FAIL "$(hop "$OUT" "routing table 100 IPv4")"
expect_grep "seen: no rule of the jail's mark in the jail's namespace; expected: $vrule$" "$OUT"
# The host's doctor has nothing to say of a vnet jail's rules.
expect_rc 0 "$BRIG" doctor
expect_rc 0 "$BRIG" stop v
assert_clean
echo ok
