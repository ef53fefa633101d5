# A vnet jail's root configuring its own network (issue 20): where it may,
# only inside the jail's own network namespace, never the host's stack.
#   - a userns jail (brig.conf(5)) configures its interfaces, addresses
#     and routes from exec.start, as on FreeBSD; none of it reaches the
#     host, and its root cannot reach the host's namespace through the id
#     the kernel gives it in the jail's (lib/nsid_reach.py: RTM_DELLINK
#     with IFLA_TARGET_NETNSID);
#   - a vnet jail of the host's user namespace likewise: its network
#     namespace is owned by a user namespace made for it, whose owner (uid
#     0) holds every capability there and nowhere else. Its root, without
#     CAP_NET_ADMIN in the host's user namespace (which would reach the
#     host's stack by that same id: it did, the host's interface was
#     deleted), configures its own interfaces and routes; by the id it
#     cannot delete, create or change a link of the host's; raw and
#     packet sockets (CAP_NET_RAW there too) stay refused without
#     allow.raw_sockets, and the owning user namespace cannot be entered
#     (lib/owner_caps.py). Not for a root that may not bind ports below
#     1024 (allow.reserved_ports = false): it would hold that capability
#     there too.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

printf 'root:1000000:655360\n' >"$T/subuid"
printf 'root:1000000:655360\n' >"$T/subgid"
export BRIG_SUBUID="$T/subuid" BRIG_SUBGID="$T/subgid"
ip link add br0 type bridge
ip addr add 10.78.0.1/24 dev br0
ip link set br0 up
# The host's interface a jail must not touch.
ip link add victim type veth peer name victimp

# The busybox root with the host's /usr (read-only) for python3.
P=$T/proot
mk_busybox_root "$P"
mkdir -p "$P/usr"
ln -s usr/lib "$P/lib"
ln -s usr/lib64 "$P/lib64"
cp tests/integration/lib/nsid_reach.py tests/integration/lib/owner_caps.py "$P/"

conf "r { path = \"$P\"; persist; vnet; vnet.bridge = br0; vnet.interface = \"epair_rb\";
	mount = \"/usr $P/usr nullfs ro\";
	exec.start = \"/bin/sh -c 'ip addr add 10.78.0.8/24 dev epair_rb && ip link set epair_rb up && ip route add default via 10.78.0.1'\"; }
x { path = \"$P\"; persist; vnet; vnet.bridge = br0; vnet.interface = \"epair_xb\";
	allow.raw_sockets; mount = \"/usr $P/usr nullfs ro\"; }
q { path = \"$P\"; persist; vnet; vnet.bridge = br0; vnet.interface = \"epair_qb\";
	allow.reserved_ports = false; }
s { path = \"$P\"; persist; vnet; allow.socket_af; mount = \"/usr $P/usr nullfs ro\"; }
n { path = \"$P\"; persist; }
u { path = \"$P\"; persist; userns; vnet; vnet.bridge = br0; vnet.interface = \"epair_ub\";
	mount = \"/usr $P/usr nullfs ro\";
	exec.start = \"/bin/sh -c 'ip addr add 10.78.0.9/24 dev epair_ub && ip link set epair_ub up && ip route add default via 10.78.0.1'\"; }"

snapshot() {
	{ ip -o link | sed -E 's/^[0-9]+: ([^:@]+).*/link \1/'
	  ip -o addr | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'; ip route; ip -6 route; } |
		grep -v 'fe80::' | grep -v 'link epair_' | sort
}
snapshot >"$T/before"

# refused WHY CMD...: CMD fails, saying WHY.
refused() {
	why=$1; shift
	set +e
	"$@" >"$T/out" 2>&1
	rc=$?
	set -e
	[ $rc != 0 ] || fail "$* succeeded"
	expect_grep "$why" "$(cat "$T/out")"
}

# reach JAIL MODE ERRNO [IFNAME]: lib/nsid_reach.py in JAIL, MODE on the
# host's interface IFNAME (victim), refused with ERRNO (EACCES for
# RTM_DELLINK, EPERM for RTM_NEWLINK), the host's victim
# still there.
reach() {
	set +e
	"$BRIG" exec "$1" /usr/bin/python3 /nsid_reach.py "${4:-victim}" "$2" >"$T/out" 2>&1
	rc=$?
	set -e
	ip link show victim >/dev/null 2>&1 || fail "jail $1 deleted the host's interface: $(cat "$T/out")"
	expect_eq "$1 reaching the host's namespace ($2): $(cat "$T/out")" 3 "$rc"
	expect_grep "errno $3$" "$(cat "$T/out")"
}

# The jails of the host's user namespace (in the userns pass every jail
# has userns: then r is one more userns jail, below).
if [ "${BRIG_TEST_USERNS:-}" != 1 ]; then
	expect_rc 0 "$BRIG" start r
	remember_cgroups r
	pid=$(jstate "$BRIG_RUNDIR/r/state" init)
	expect_grep "inet 10.78.0.8/24" "$(nsenter -t "$pid" -n ip -o addr show dev epair_rb)"
	expect_grep "default via 10.78.0.1 dev epair_rb" "$(nsenter -t "$pid" -n ip route)"
	expect_rc 0 "$BRIG" exec r ip route add 10.99.0.0/16 via 10.78.0.1
	expect_rc 0 "$BRIG" exec r ip link set lo down
	expect_rc 0 "$BRIG" exec r ip link set lo up
	# Its root holds no CAP_NET_ADMIN (12) in the host's user namespace.
	expect_eq "CAP_NET_ADMIN in r's bounding set" 0 \
		"$(( 0x$(awk '/^CapBnd/ { print $2 }' "/proc/$pid/status") & (1 << 12) ))"
	# Another user of the jail is no owner: nothing.
	refused "Operation not permitted" "$BRIG" exec -u nobody r ip route add 10.98.0.0/16 via 10.78.0.1
	refused "" "$BRIG" exec r ip addr add 10.78.0.10/24 dev br0
	reach r del 13
	reach r new 1 victim2
	reach r set 1
	ip link show victim | grep -q "state DOWN" || fail "jail r took the host's interface up"
	ip link show victim2 >/dev/null 2>&1 && fail "jail r created victim2 in the host's namespace"
	expect_eq "r's raw sockets and owning user namespace" \
		"packet: errno 1 raw4: errno 1 raw6: errno 1 userns: errno 1" \
		"$("$BRIG" exec r /usr/bin/python3 /owner_caps.py | tr '\n' ' ' | sed 's/ $//')"
	# allow.raw_sockets: they are the jail's.
	expect_rc 0 "$BRIG" start x
	remember_cgroups x
	expect_eq "x's raw sockets and owning user namespace" \
		"packet: ok raw4: ok raw6: ok userns: errno 1" \
		"$("$BRIG" exec x /usr/bin/python3 /owner_caps.py | tr '\n' ' ' | sed 's/ $//')"
	reach x del 13
	# allow.socket_af (every family) without allow.raw_sockets: still none.
	expect_rc 0 "$BRIG" start s
	remember_cgroups s
	expect_eq "s's raw sockets and owning user namespace" \
		"packet: errno 1 raw4: errno 1 raw6: errno 1 userns: errno 1" \
		"$("$BRIG" exec s /usr/bin/python3 /owner_caps.py | tr '\n' ' ' | sed 's/ $//')"
	# allow.reserved_ports = false: the network namespace stays the
	# host's user namespace's, its root configures nothing.
	expect_rc 0 "$BRIG" start q
	remember_cgroups q
	refused "Operation not permitted" "$BRIG" exec q ip addr add 10.78.0.7/24 dev epair_qb
	# Whose network namespaces: r's, made by brig (a thread, while the
	# start goes on: sys/userns.h), is owned by a user namespace of its
	# own; q's and the plain jail n's, made by their first process, by
	# the host's, where their root configures nothing; lo up in each.
	expect_rc 0 "$BRIG" start n
	remember_cgroups n
	refused "Operation not permitted" "$BRIG" exec n ip link set lo down
	hostns=$(stat -L -c %i /proc/self/ns/user)
	for j in r q n; do
		jpid=$(jstate "$BRIG_RUNDIR/$j/state" init)
		owner=$(lsns -n -o ONS -t net -p "$jpid" | tr -d ' ')
		[ -n "$owner" ] || fail "no owner of $j's network namespace (lsns)"
		if [ $j = r ]; then
			[ "$owner" != "$hostns" ] || fail "r's network namespace is owned by the host's user namespace"
		else
			expect_eq "the owner of $j's network namespace" "$hostns" "$owner"
		fi
		expect_grep "LOOPBACK,UP" "$(nsenter -t "$jpid" -n ip -o link show lo)"
	done
	snapshot >"$T/during"
	diff "$T/before" "$T/during" || fail "the jails' configuration reached the host"
	expect_rc 0 "$BRIG" stop r x q s n
fi

# The userns jail: exec.start configured its interface and routes.
expect_rc 0 "$BRIG" start u
remember_cgroups u
pid=$(jstate "$BRIG_RUNDIR/u/state" init)
expect_grep "inet 10.78.0.9/24" "$(nsenter -t "$pid" -n ip -o addr show dev epair_ub)"
expect_grep "default via 10.78.0.1 dev epair_ub" "$(nsenter -t "$pid" -n ip route)"
expect_rc 0 "$BRIG" exec u ip route add 10.99.0.0/16 via 10.78.0.1
# The host's interfaces are not the jail's to name, nor to reach by id.
refused "" "$BRIG" exec u ip addr add 10.78.0.10/24 dev br0
reach u del 13
reach u new 1 victim2
snapshot >"$T/during"
diff "$T/before" "$T/during" || fail "the jail's configuration reached the host"
expect_rc 0 "$BRIG" stop u
assert_clean
ip link del victim
