# brig doctor JAIL (issue 17): faults of the host's part of a jail's path
# (forwarding, the uplink route, brig's nftables table and the jail's
# rules, another table dropping forwarded or incoming traffic,
# br_netfilter) are named at their hop, exit status 1; then --to.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/doctor.sh
command -v nft >/dev/null || skip "nft missing (the test injects faults with it)"

doctor_ok a

# Forwarding off, each family: brig net up (the fix) turns it on.
echo 0 >/proc/sys/net/ipv4/ip_forward
doctor_fails a host 'forwarding IPv4'
"$BRIG" doctor a || true
expect_rc 0 "$BRIG" net up br0
doctor_ok a
echo 0 >/proc/sys/net/ipv6/conf/all/forwarding
doctor_fails a host 'forwarding IPv6'
expect_rc 0 "$BRIG" net up br0
doctor_ok a

# No uplink route for the NAT.
ip route del default
doctor_fails a host 'uplink route IPv4'
ip route add default via 192.0.2.1
ip -6 route del default
doctor_fails a host 'uplink route IPv6'
ip -6 route add default via 2001:db8::1
doctor_ok a

# One of the jail's rdr rules gone, then changed.
h=$(nft -a list chain inet brig prerouting | sed -n 's/.*comment "jail:a" # handle \([0-9]*\)$/\1/p' | head -1)
[ -n "$h" ] || fail "no rule of jail a in prerouting"
nft delete rule inet brig prerouting handle "$h"
doctor_fails a host 'rules of the jail'
expect_rc 0 "$BRIG" restart a
doctor_ok a
h=$(nft -a list chain inet brig prerouting | sed -n 's/.*comment "jail:a" # handle \([0-9]*\)$/\1/p' | head -1)
nft replace rule inet brig prerouting handle "$h" meta nfproto ipv4 tcp dport 8080 dnat ip to 10.80.0.6:80 comment '"jail:a"'
doctor_fails a host 'rules of the jail'
doctor_ok b
expect_rc 0 "$BRIG" restart a
doctor_ok a

# The bridge's NAT rule gone; then brig's whole table.
h=$(nft -a list chain inet brig postrouting | sed -n 's/.*comment "bridge:br0" # handle \([0-9]*\)$/\1/p' | head -1)
nft delete rule inet brig postrouting handle "$h"
doctor_fails a host 'rules of bridge br0'
expect_rc 0 "$BRIG" net up br0
doctor_ok a
nft delete table inet brig
doctor_fails a host 'nftables table inet brig'
expect_rc 0 "$BRIG" net up br0
expect_rc 0 "$BRIG" restart a
doctor_ok a

# The filter of a jail's bridge port gone.
nft flush chain bridge brig port_epair_aa
doctor_fails a host 'filter of port epair_aa'
expect_rc 0 "$BRIG" restart a
doctor_ok a

# Another firewall: Docker's FORWARD policy drop (iptables-nft makes this
# table), then an input chain that drops what the jails send the host.
nft add table ip filter
nft add chain ip filter FORWARD '{ type filter hook forward priority 0; policy drop; }'
doctor_fails a host 'firewall ip filter FORWARD'
expect_grep "DOCKER-USER" "$OUT"
# br_netfilter (loaded on the host: not loaded here by the test) sends
# bridged frames between the jails through that hook too.
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null)" = 1 ]; then
	doctor_fails a host 'br_netfilter'
fi
nft add rule ip filter FORWARD iifname br0 accept
nft add rule ip filter FORWARD oifname br0 accept
expect_rc 0 "$BRIG" doctor a --json
nft delete table ip filter
doctor_ok a
# A drop that names the jail's subnet, in an accepting chain.
nft add table inet hostfw
nft add chain inet hostfw filterfwd '{ type filter hook forward priority 0; policy accept; }'
nft add rule inet hostfw filterfwd ip saddr 10.80.0.0/24 tcp dport 443 drop
doctor_fails a host 'firewall inet hostfw filterfwd'
nft delete table inet hostfw
doctor_ok a
nft add table inet hostfw
nft add chain inet hostfw input '{ type filter hook input priority 0; policy drop; }'
doctor_fails a host 'firewall inet hostfw input'
doctor_fails a jail 'nameserver 10.80.0.1'
nft delete table inet hostfw
doctor_ok a

# The bridge's `host` list keeps DNS on the gateway out.
cp "$BRIG_CONFDIR/networks.conf" "$T/networks.conf"
sed -i 's/nat;/nat; host = "80\/tcp";/' "$BRIG_CONFDIR/networks.conf"
expect_rc 0 "$BRIG" net up br0
doctor_fails a jail 'nameserver 10.80.0.1'
expect_grep "keeps DNS out" "$OUT"
expect_grep "networks.conf:" "$OUT"
cp "$T/networks.conf" "$BRIG_CONFDIR/networks.conf"
expect_rc 0 "$BRIG" net up br0
doctor_ok a

# The jail's own firewall (its root's), dropping what it sends.
in_jail a nft add table inet jailfw
in_jail a nft add chain inet jailfw out '{ type filter hook output priority 0; policy drop; }'
doctor_fails a jail 'firewall inet jailfw out'
in_jail a nft delete table inet jailfw
doctor_ok a

# --to: a path out of the jail, with a probe from its namespace.
expect_rc 0 "$BRIG" doctor a --to 10.80.0.6 --json
printf '%s\n' "$OUT" >"$T/rep.json"
python3 "$T/hop.py" "$T/rep.json" to 'route to 10.80.0.6' OK || fail "--to route"
python3 "$T/hop.py" "$T/rep.json" to 'ping 10.80.0.6' OK || fail "--to ping"
expect_rc 0 "$BRIG" doctor a --to '[fd00:80::1]:53/udp' --json
expect_rc 1 "$BRIG" doctor a --to 10.80.0.6:81/tcp --json
printf '%s\n' "$OUT" >"$T/rep.json"
python3 "$T/hop.py" "$T/rep.json" to 'tcp 10.80.0.6:81' FAIL || fail "--to closed port"
expect_grep "refused" "$OUT"
in_jail a ip route del default
expect_rc 1 "$BRIG" doctor a --to 198.51.100.1 --json
printf '%s\n' "$OUT" >"$T/rep.json"
python3 "$T/hop.py" "$T/rep.json" to 'route to 198.51.100.1' FAIL || fail "--to without a route"
in_jail a ip route add default via 10.80.0.1
expect_rc 2 "$BRIG" doctor a --to nonsense
expect_rc 0 "$BRIG" stop a b
echo ok
