# A vnet jail's root configuring its own network (issue 20): where it may,
# only inside the jail's own network namespace, never the host's stack.
#   - a userns jail (brig.conf(5)) configures its interfaces, addresses
#     and routes from exec.start, as on FreeBSD; none of it reaches the
#     host, and its root cannot reach the host's namespace through the id
#     the kernel gives it in the jail's (lib/nsid_reach.py: RTM_DELLINK
#     with IFLA_TARGET_NETNSID);
#   - a jail of the host's user namespace gets no CAP_NET_ADMIN, not even
#     with allow.routing: there it would reach the host's stack by that
#     same id (it did: the host's interface was deleted).
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
cp tests/integration/lib/nsid_reach.py "$P/nsid_reach.py"

conf "r { path = \"$P\"; persist; vnet; vnet.bridge = br0; vnet.interface = \"epair_rb\";
	allow.routing; mount = \"/usr $P/usr nullfs ro\"; }
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

# The jail of the host's user namespace (in the userns pass every jail
# has userns: then r is one more userns jail, below).
if [ "${BRIG_TEST_USERNS:-}" != 1 ]; then
	expect_rc 0 "$BRIG" start r
	remember_cgroups r
	set +e
	"$BRIG" exec r /usr/bin/python3 /nsid_reach.py victim >"$T/out" 2>&1
	rc=$?
	set -e
	ip link show victim >/dev/null 2>&1 || fail "jail r deleted the host's interface: $(cat "$T/out")"
	expect_eq "r reaching the host's namespace: $(cat "$T/out")" 3 "$rc"
	expect_grep "errno 1$" "$(cat "$T/out")"
	refused "Operation not permitted" "$BRIG" exec r ip addr add 10.78.0.7/24 dev epair_rb
	expect_rc 0 "$BRIG" stop r
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
set +e
"$BRIG" exec u /usr/bin/python3 /nsid_reach.py victim >"$T/out" 2>&1
rc=$?
set -e
ip link show victim >/dev/null 2>&1 || fail "jail u deleted the host's interface: $(cat "$T/out")"
expect_eq "u reaching the host's namespace: $(cat "$T/out")" 3 "$rc"
expect_grep "errno 13$" "$(cat "$T/out")"
snapshot >"$T/during"
diff "$T/before" "$T/during" || fail "the jail's configuration reached the host"
expect_rc 0 "$BRIG" stop u
assert_clean
ip link del victim
