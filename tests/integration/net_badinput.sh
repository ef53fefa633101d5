# Bad network configuration is refused by `brig start` before any kernel
# object is made, with the jail and the parameter named.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 { ip4.addr = "10.10.0.1/24"; nat; }
lo { ip4.addr = "10.99.0.1/24"; }
EOF
ip link add notabridge type veth peer name notabridgepeer

# The host as it is: nothing brig may add to it on a refused start.
snapshot() {
	{ ip -o link | sed -E 's/^[0-9]+: ([^:@]+).*/link \1/'
	  ip -o addr | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'; ip route; ip -6 route
	  nft list ruleset; } | sort
}
snapshot >"$T/before"

# refuse JAIL-PARAMETERS MESSAGE: the jail web with these parameters (and
# a jail db at 10.10.0.3 with rdr tcp 8080) is refused with MESSAGE.
refuse() {
	conf "web { path = \"$ROOT\"; persist; vnet; $1 }
db { path = \"$ROOT\"; persist; vnet; vnet.bridge = bridge0; ip4.addr = \"10.10.0.3/24\";
     rdr = \"tcp 8080 80\"; }"
	expect_rc 1 "$BRIG" start web
	expect_grep "^brig: web: start: $2" "$ERR"
	snapshot >"$T/after"
	diff "$T/before" "$T/after" || fail "a refused start ($1) changed the host"
	assert_clean
}

refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5";' \
	'ip4.addr "10.10.0.5": missing prefix length (write ADDR/LEN, e.g. 10.10.0.5/24)'
refuse 'vnet.bridge = bridge0; ip6.addr = "fd00::5";' 'ip6.addr "fd00::5": missing prefix length'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.3/24";' \
	'ip4.addr "10.10.0.3/24": jail db has the same address on bridge bridge0'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; ip4.defaultrouter = "10.20.0.1";' \
	'ip4.defaultrouter "10.20.0.1": not reachable'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; rdr = "tcp 0 80";' \
	'rdr "tcp 0 80": host side "0": port 0 is not allowed'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; rdr = "tcp 80 65536";' \
	'rdr "tcp 80 65536": jail port "65536": port over 65535'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; rdr = "icmp 80 80";' \
	'rdr "icmp 80 80": unknown protocol "icmp" (tcp or udp)'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; rdr = "tcp 8080 80";' \
	'rdr "tcp 8080 80": host port tcp/8080 is also forwarded by jail db'
refuse 'vnet.bridge = bridge0; ip4.addr = "10.10.0.5/24"; rdr = "udp 53 53", "udp 53 5353";' \
	'rdr "udp 53 5353": host port udp/53 is already forwarded by rdr "udp 53 53"'
refuse 'vnet.bridge = bridge0; vnet.interface = "epair_averylongnameb";' \
	'vnet.interface "epair_averylongnameb": longer than the kernel.s 15-byte limit'
refuse 'vnet.bridge = notabridge;' \
	'vnet.bridge "notabridge": an interface of that name exists and is not a bridge'
refuse 'vnet.bridge = lo;' 'vnet.bridge "lo": an interface of that name exists and is not a bridge'
refuse 'vnet.bridge = nosuchbr;' \
	'vnet.bridge "nosuchbr": no such bridge, and networks.conf does not declare it'
# A host interface to move in may be made by exec.prestart: looked for
# only at the vnet step, and everything made until then is undone.
refuse 'vnet.interface = "nosuchif";' \
	'vnet: vnet.interface "nosuchif": no such interface on the host after exec.prestart'

# A jail on the host's stack takes an rdr to its own (shared-IP)
# address; with none, there is nothing to forward to.
conf "web { path = \"$ROOT\"; persist; vnet = inherit; rdr = \"tcp 8080 80\"; }"
expect_rc 1 "$BRIG" start web
expect_grep 'web: start: rdr "tcp 8080 80": the jail has no address to forward to' "$ERR"

# None of this made bridge0; a good jail then does.
ip link show bridge0 2>/dev/null && fail "bridge0 made by a refused start"
conf "web { path = \"$ROOT\"; persist; vnet; vnet.bridge = bridge0; ip4.addr = \"10.10.0.5/24\"; }"
expect_rc 0 "$BRIG" start web
remember_cgroups web
ip link show bridge0 >/dev/null || fail "bridge0 not made"
expect_rc 0 "$BRIG" stop web
assert_clean
ip link del notabridge
