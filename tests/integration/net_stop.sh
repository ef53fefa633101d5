# Stopping vnet jails (issue 14). A stop leaves the veth pair to the
# kernel when the jail's network namespace died with it (brig does not
# queue behind the teardown), so:
#   - a restart, back to back, finds the old host end still being removed
#     by the kernel and must not fail (20 tight restarts, and 20 stop+start);
#   - a namespace that something else still holds (a process that entered
#     it) keeps the pair alive: brig retires it (down, off the bridge,
#     renamed brig-IFINDEX: a delete would wait ~20 ms for the kernel),
#     the jail starts again meanwhile, and the pair goes with the holder;
#   - `stop --all` of many vnet jails leaves nothing: no state, no port
#     filter (gone when it returns), no veth (the kernel's batch, waited
#     for here with a bound).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF2'
br0 { ip4.addr = "10.71.0.1/24"; ip6.addr = "fd00:71::1/64"; }
EOF2
jail() {
	printf '%s { path = "%s"; persist; vnet; vnet.bridge = br0; vnet.interface = "epair_%sb";
	ip4.addr = "10.71.0.%s/24"; ip4.defaultrouter = "10.71.0.1";
	ip6.addr = "fd00:71::%s/64"; ip6.defaultrouter = "fd00:71::1"; %s }\n' \
		"$1" "$ROOT" "$1" "$2" "$2" "${3:-}"
}
conf "$(jail web 5 'rdr = "tcp 8080 80";')"

# ports: the bridge's ports; chains: the port filters in table bridge brig.
ports() { ip -o link show master br0 2>/dev/null | sed -E 's/^[0-9]+: ([^:@]+).*/\1/'; }
chains() { nft list table bridge brig 2>/dev/null | grep -c 'chain port_' || true; }
# wait_gone IFNAME: the kernel's teardown of a dead namespace takes its
# time; bounded (10 s).
wait_gone() { wait_for "$1 still there 10 s after the stop" link_gone "$1"; }

expect_rc 0 "$BRIG" start web
remember_cgroups web
[ -n "$(ports)" ] || fail "no bridge port for web"
expect_eq "port filters while up" 1 "$(chains)"
rdr=$(nft list table inet brig | grep -c 'jail:web')
[ "$rdr" -gt 0 ] || fail "no rdr rules for web"

# Tight restarts: every one must succeed, the jail running at the end
# with exactly one port, its filter and its rdr rules.
i=0
while [ $i -lt 20 ]; do
	"$BRIG" restart web >"$T/out" 2>&1 || fail "restart $i: $(cat "$T/out")"
	remember_cgroups web
	i=$((i + 1))
done
i=0
while [ $i -lt 20 ]; do
	"$BRIG" stop web >"$T/out" 2>&1 || fail "stop $i: $(cat "$T/out")"
	"$BRIG" start web >"$T/out" 2>&1 || fail "start $i right after a stop: $(cat "$T/out")"
	remember_cgroups web
	i=$((i + 1))
done
expect_eq "ports after the restarts" "epair_weba" "$(ports)"
expect_eq "port filters after the restarts" 1 "$(chains)"
expect_eq "rdr rules after the restarts" "$rdr" "$(nft list table inet brig | grep -c 'jail:web')"
"$BRIG" exec web ip -o addr show epair_webb >"$T/addr" || fail "exec in web"
expect_grep "inet 10.71.0.5/24" "$(cat "$T/addr")"

# The jail's namespace held by a process that entered it: the pair stays
# alive with it, so brig retires it: when the stop returns, the jail's
# host end is off the bridge, down and renamed out of the way of the
# next start; it goes when the holder lets the namespace go.
pid=$(jstate "$BRIG_RUNDIR/web/state" init)
index=$(ip -o link show epair_weba | cut -d: -f1)
nsenter -t "$pid" -n sleep 600 </dev/null >/dev/null 2>&1 &
holder=$!
i=0
while [ "$(readlink /proc/$holder/ns/net 2>/dev/null)" != "$(readlink /proc/$pid/ns/net)" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the holder did not enter the jail's namespace"
	sleep 0.02
done
expect_rc 0 "$BRIG" stop web
ip link show epair_weba >/dev/null 2>&1 && fail "the pair of a namespace still held kept its name"
ip -o link show "brig-$index" >"$T/retired" 2>&1 || fail "no retired pair brig-$index: $(ip -o link)"
expect_grep "state DOWN" "$(cat "$T/retired")"
expect_grep "alias jail:web" "$(ip -o link show "brig-$index")"
expect_eq "ports after the stop" "" "$(ports)"
expect_eq "port filters after the stop" 0 "$(chains)"
# The name is free: the jail starts and stops again, the holder still in.
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_eq "ports after the start, the old pair held" "epair_weba" "$(ports)"
expect_rc 0 "$BRIG" stop web
kill "$holder"
wait "$holder" 2>/dev/null || true
wait_gone "brig-$index"
wait_gone epair_weba
expect_eq "veths once the holder is gone" 0 "$(ip -o link show type veth | wc -l)"
assert_clean

# stop --all of many vnet jails.
n=12
: >"$T/conf"
i=0
while [ $i -lt $n ]; do
	jail "j$i" $((i + 10)) >>"$T/conf"
	i=$((i + 1))
done
conf "$(cat "$T/conf")"
expect_rc 0 "$BRIG" start --all
for j in $(ls "$BRIG_RUNDIR"); do [ -f "$BRIG_RUNDIR/$j/state" ] && remember_cgroups "$j"; done
expect_eq "ports while up" $n "$(ports | wc -l)"
expect_eq "port filters while up" $n "$(chains)"
expect_rc 0 "$BRIG" stop --all
expect_eq "port filters right after stop --all" 0 "$(chains)"
i=0
while [ $i -lt $n ]; do
	wait_gone "epair_j${i}a"
	i=$((i + 1))
done
expect_eq "ports after stop --all" "" "$(ports)"
expect_eq "veths after stop --all" 0 "$(ip -o link show type veth | wc -l)"
assert_clean

# Again with few open files: a worker keeps the nftables sockets of the
# first stops (sys/nft.h nft_keep_sockets: (262 - 256) / 2 = 3), then
# forks a process a stop; every filter is gone all the same.
expect_rc 0 "$BRIG" start --all
for j in $(ls "$BRIG_RUNDIR"); do [ -f "$BRIG_RUNDIR/$j/state" ] && remember_cgroups "$j"; done
expect_eq "port filters while up (again)" $n "$(chains)"
expect_rc 0 sh -c 'ulimit -n 262 && exec "$0" stop --all' "$BRIG"
expect_eq "port filters right after stop --all, few files" 0 "$(chains)"
i=0
while [ $i -lt $n ]; do
	wait_gone "epair_j${i}a"
	i=$((i + 1))
done
assert_clean

# A JID freed by a stop is taken by another jail at once (stop --all then
# start --all hands JIDs out in whatever order the workers go), with the
# default interface names e<JID>a/e<JID>b: the other jail's old host end,
# left to the kernel's teardown of its dead namespace, may still be
# there, tagged with the other jail's name. It is a leftover all the same
# (its peer's namespace is dead) and must not fail the start.
conf "$(printf 'a { path = "%s"; persist; vnet; vnet.bridge = br0; jid = 61; }
b { path = "%s"; persist; vnet; vnet.bridge = br0; jid = 61; }\n' "$ROOT" "$ROOT")"
i=0
while [ $i -lt 20 ]; do
	expect_rc 0 "$BRIG" start a
	remember_cgroups a
	expect_rc 0 "$BRIG" stop a
	"$BRIG" start b >"$T/out" 2>&1 || fail "start b $i right after a stopped with its JID: $(cat "$T/out")"
	remember_cgroups b
	expect_rc 0 "$BRIG" stop b
	i=$((i + 1))
done
wait_gone e61a
assert_clean
echo "ok"
