# VNET the Handbook's way (issue 20): the seed's jail-epair.sh, rewritten
# for Linux tools, makes the pair in exec.prestart and destroys it in
# exec.poststop; vnet.interface names the jail end, which brig moves in.
#   - brig must not require the interface before exec.prestart ran
#     (config check neither); still missing after it, the start fails
#     naming the jail, the step and the interface;
#   - at stop the interface moved in comes back to the host, under its
#     name, before exec.poststop (which sees it), and `jail -r` exits 0;
#     one the jail renamed comes back under its new name (found by its
#     index); one destroyed in the jail is nothing to return;
#   - brig killed while the jail holds it (a start after the vnet step, a
#     stop before the jail is removed): the next brig returns it too.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

ln -s "$BRIG" "$T/jail"
ip link add br0 type bridge
ip link set br0 up

# The seed's jail-epair.sh with ip(8) for ifconfig(8). Its down also
# says whether the jail end is back on the host.
cat >"$T/jail-epair.sh" <<SCRIPT
#!/bin/sh
set -eu
action="\${1:-}" name="\${2:-}" short="\${3:-}" bridge="\${4:-br0}"
case "\$action" in
up)
	if ip link show "epair_\${short}a" >/dev/null 2>&1; then
		ip link set "epair_\${short}a" up master "\$bridge"
		exit 0
	fi
	ip link add "epair_\${short}a" type veth peer name "epair_\${short}b"
	ip link set "epair_\${short}a" up master "\$bridge"
	;;
down)
	if ip link show "epair_\${short}b" >/dev/null 2>&1; then
		echo back >"$T/seen.\$name"
	elif ip link show renamed >/dev/null 2>&1; then
		echo back renamed >"$T/seen.\$name"
	else
		echo missing >"$T/seen.\$name"
	fi
	ip link del "epair_\${short}a"
	;;
esac
SCRIPT
chmod +x "$T/jail-epair.sh"

conf "hb { path = \"$ROOT\"; persist; vnet; vnet.interface = \"epair_hbb\";
	exec.prestart = \"$T/jail-epair.sh up \${name} hb br0\";
	exec.poststop = \"$T/jail-epair.sh down \${name} hb\"; }
nohook { path = \"$ROOT\"; persist; vnet; vnet.interface = \"epair_nob\"; }"

# Nothing exists yet: config check must not refuse it.
expect_rc 0 "$BRIG" config check
expect_rc 0 "$T/jail" -c hb
remember_cgroups hb
pid=$(jstate "$BRIG_RUNDIR/hb/state" init)
nsenter -t "$pid" -n ip link show epair_hbb >/dev/null 2>&1 || fail "epair_hbb is not in the jail"
ip link show epair_hbb >/dev/null 2>&1 && fail "epair_hbb is still on the host"
expect_rc 0 "$T/jail" -r hb
expect_eq "exec.poststop saw the jail end" back "$(cat "$T/seen.hb")"
ip link show epair_hba >/dev/null 2>&1 && fail "exec.poststop did not destroy the pair"
assert_clean

# Renamed in the jail: found by its index, it comes back under its
# current name (as FreeBSD returns it), before exec.poststop.
expect_rc 0 "$BRIG" start hb
remember_cgroups hb
pid=$(jstate "$BRIG_RUNDIR/hb/state" init)
nsenter -t "$pid" -n ip link set epair_hbb name renamed
expect_rc 0 "$BRIG" stop hb
expect_eq "stop's messages after a rename" "" "$ERR"
expect_eq "exec.poststop after a rename" "back renamed" "$(cat "$T/seen.hb")"
assert_clean

# Destroyed in the jail (with its peer): nothing to return, nothing said
# about it (the poststop that destroys the pair fails, and says so).
expect_rc 0 "$BRIG" start hb
remember_cgroups hb
pid=$(jstate "$BRIG_RUNDIR/hb/state" init)
nsenter -t "$pid" -n ip link del epair_hbb
ip link show epair_hba >/dev/null 2>&1 && fail "the peer outlived its end"
"$BRIG" stop hb >"$T/out" 2>&1 || true
grep -q "vnet.interface" "$T/out" && fail "a destroyed interface reported: $(cat "$T/out")"
assert_clean

# Never made: the start fails at the vnet step, naming jail and interface.
expect_rc 1 "$BRIG" start nohook
expect_grep "nohook: start: vnet: vnet.interface \"epair_nob\": no such interface on the host" "$ERR"
expect_grep "exec.prestart" "$ERR"
assert_clean

# brig killed while the jail holds the interface: the next brig (ls
# reconciles) returns it to the host before the jail's namespace goes.
for point in exec.start stopping terminate; do
	case $point in
	exec.start) verb=start ;;
	*) expect_rc 0 "$BRIG" start hb; verb=stop ;;
	esac
	set +e
	BRIG_FAULT=$point "$BRIG" "$verb" hb >"$T/out" 2>&1
	rc=$?
	set -e
	expect_eq "brig $verb killed at $point" 137 "$rc"
	remember_cgroups hb
	assert_clean
	ip link show epair_hbb >/dev/null 2>&1 || fail "killed at $point: epair_hbb not returned to the host"
	ip link del epair_hba
done
