# A vnet jail's network made by a helper process while the jail's first
# process sets the jail up (core/vnet_early.c, issue 14), where the network
# is brig's alone (veth pairs into bridges) and no exec.created runs:
#   - a start killed right after recording the host's first port filter
#     (no brig bridge table yet) is cleaned up by the next command;
#   - the helper is used (the fault point "vnet-recorded" exists only
#     there: brig killed at it leaves records, nothing made, cleaned by the
#     next command), and not with exec.created, for a host interface moved
#     in (vnet.interface without vnet.bridge), or for a userns jail (the
#     integration-userns pass);
#   - the jail's network is whole: address, routes, port filter, rdr, and
#     the jail answers the host directly and through its rdr;
#   - the helper's failure is the start's, with the error it had before
#     (an interface of the host end's name that is not the jail's: an
#     admin's veth pair, a bridge), and its cleanup leaves that interface
#     and nothing of the jail's;
#   - brig killed while the helper runs (after the jail's first process is
#     made): the helper goes too, and the next command cleans up.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF2'
br0 { ip4.addr = "10.72.0.1/24"; ip6.addr = "fd00:72::1/64"; }
EOF2
conf "web { path = \"$ROOT\"; persist; mount.devfs; vnet; vnet.bridge = br0; vnet.interface = epair_webb;
	ip4.addr = \"10.72.0.5/24\"; ip4.defaultrouter = \"10.72.0.1\";
	ip6.addr = \"fd00:72::5/64\"; ip6.defaultrouter = \"fd00:72::1\";
	rdr = \"tcp 8080 80\"; }
hooked { path = \"$ROOT\"; persist; vnet; vnet.bridge = br0; vnet.interface = epair_hkb;
	ip4.addr = \"10.72.0.6/24\"; exec.created = \"true\"; }
moved { path = \"$ROOT\"; persist; vnet; vnet.interface = mv0;
	ip4.addr = \"10.72.1.2/24\"; }"

objects() {
	ip -o link show epair_weba 2>/dev/null | sed -E 's/^[0-9]+: ([^:@]+).*/link \1/' || true
	nft list table bridge brig 2>/dev/null | grep -o 'chain port_epair_weba' || true
	nft list table inet brig 2>/dev/null | grep -o 'jail:web' | sort -u || true
}
: >"$T/none"
# clean: nothing of web's network left (the host end may still be going
# with the jail's namespace: settled).
clean() {
	settled "$T/none" "$T/left" objects
	cmp -s "$T/none" "$T/left" || fail "left behind: $(cat "$T/left")"
}

# A start killed right after it recorded the host's first port filter,
# before brig's bridge table exists: the next command removes the record
# all the same (it failed: "No such file or directory", and kept the
# jail's state for good). Without the helper (exec.created).
expect_rc 137 env BRIG_FAULT=nft "$BRIG" start hooked
expect_rc 0 "$BRIG" ls
[ ! -e "$BRIG_RUNDIR/hooked" ] || fail "hooked's run directory survived the cleanup"

# Taken: killed right after the records, before the helper exists. Not
# for a userns jail (the integration-userns pass): its network namespace
# is made by its first process, in its own user namespace.
if [ "${BRIG_TEST_USERNS:-}" = 1 ]; then
	expect_rc 0 env BRIG_FAULT=vnet-recorded "$BRIG" start web
	expect_rc 0 "$BRIG" stop web
else
	expect_rc 137 env BRIG_FAULT=vnet-recorded "$BRIG" start web
	grep -q epair_weba "$BRIG_RUNDIR/web/state" || fail "no record of the helper's veth"
	expect_rc 0 "$BRIG" ls
	[ ! -e "$BRIG_RUNDIR/web" ] || fail "web's run directory survived the cleanup (vnet-recorded)"
fi
clean

# Not taken: exec.created, a host interface moved in.
expect_rc 0 env BRIG_FAULT=vnet-recorded "$BRIG" start hooked
expect_rc 0 "$BRIG" stop hooked
ip link add mv0 type veth peer name mv0p
expect_rc 0 env BRIG_FAULT=vnet-recorded "$BRIG" start moved
expect_rc 0 "$BRIG" stop moved
ip link del mv0 2>/dev/null || true

# The network whole.
expect_rc 0 "$BRIG" start web
remember_cgroups web
expect_rc 0 "$BRIG" exec web ip -4 addr show epair_webb
expect_grep '10.72.0.5/24' "$OUT"
expect_rc 0 "$BRIG" exec web ip route
expect_grep 'default via 10.72.0.1' "$OUT"
expect_rc 0 "$BRIG" exec web ip -6 route
expect_grep 'default via fd00:72::1' "$OUT"
expect_eq "port filter" "chain port_epair_weba" "$(nft list table bridge brig | grep -o 'chain port_epair_weba')"
nft list table inet brig | grep -q 'jail:web' || fail "no rdr rule for web"
# Reached from the host: directly, and through its rdr (the bridge's
# address, port 8080).
"$BRIG" exec web sh -c 'nc -ll -p 80 -e /bin/echo web-ok </dev/null >/dev/null 2>&1 &'
got=
for i in 1 2 3 4 5; do
	got=$(timeout 5 busybox nc -w 2 10.72.0.5 80 </dev/null 2>/dev/null) && break
	sleep 0.2
done
expect_eq "host -> 10.72.0.5:80" web-ok "$got"
expect_eq "host -> 10.72.0.1:8080 (rdr)" web-ok "$(timeout 10 busybox nc -w 3 10.72.0.1 8080 </dev/null)"
expect_rc 0 "$BRIG" stop web
clean

# The helper's failure: the start's, as it was; nothing left but the
# admin's interface of the name of web's host end, which the cleanup of
# the failed start leaves alone (it deleted an admin's veth pair, and
# refused to remove any other kind of interface, keeping the state).
for kind in "veth peer name admin0" bridge; do
	ip link add epair_weba type $kind
	expect_rc 1 "$BRIG" start web
	expect_grep 'web: start: vnet: creating veth pair epair_weba/epair_webb: interface epair_weba exists and is not a leftover of this jail' "$ERR"
	ip link show epair_weba >/dev/null || fail "the admin's interface ($kind) was removed"
	ip link del epair_weba
	[ ! -e "$BRIG_RUNDIR/web" ] || fail "web's run directory left after the failed start ($kind)"
	clean
done

# Killed once its first process is made (the helper may run still): the
# helper dies with brig, holding the jail's lock until it is gone (a look,
# brig ls, leaves a held jail alone); then the next command cleans up
# after both.
expect_rc 137 env BRIG_FAULT=cloned "$BRIG" start web
locks_released
expect_rc 0 "$BRIG" ls
[ ! -e "$BRIG_RUNDIR/web" ] || fail "web's run directory survived the cleanup (cloned)"
clean
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" stop web
clean
assert_clean
