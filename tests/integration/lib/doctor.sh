# Sourced by the doctor_* tests (after common.sh and jail.sh): a demo-like
# network (bridge br0 with NAT, an uplink, a DNS server on the gateway,
# two vnet jails a and b, a with an rdr and a web server on the rdr's jail
# port, started by its exec.start) and checks of brig doctor's report.
command -v python3 >/dev/null || skip "python3 missing"
command -v ip >/dev/null || skip "ip missing (the test injects faults with it)"

# The uplink the NAT leaves by (a veth with a default route).
ip link add up0 type veth peer name up0p
ip link set up0p up
ip addr add 192.0.2.2/24 dev up0
ip addr add 2001:db8::2/64 dev up0 nodad
ip link set up0 up
ip route add default via 192.0.2.1
ip -6 route add default via 2001:db8::1

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF2'
br0 {
	ip4.addr = "10.80.0.1/24";
	ip6.addr = "fd00:80::1/64";
	nat;
}
EOF2
djail() {
	printf '%s { path = "%s"; persist; mount.devfs; vnet; vnet.bridge = br0;
	vnet.interface = "epair_%sb"; ip4.addr = "10.80.0.%s/24"; ip4.defaultrouter = "10.80.0.1";
	ip6.addr = "fd00:80::%s/64"; ip6.defaultrouter = "fd00:80::1"; %s }\n' \
		"$1" "$ROOT" "$1" "$2" "$2" "${3:-}"
}
conf "$(djail a 5 'rdr = "tcp 8080 80"; exec.start = "/bin/busybox httpd -p 80 -h /";'; djail b 6)"
echo "nameserver 10.80.0.1" >"$ROOT/etc/resolv.conf"
expect_rc 0 "$BRIG" start a b
remember_cgroups a
remember_cgroups b

# A DNS server on the gateway, v4 and v6.
. tests/integration/lib/dns.sh
dns_server 10.80.0.1 fd00:80::1
doctor_cleanup() {
	kill "$DNS_PID" 2>/dev/null
	[ -z "${PEER_PID:-}" ] || kill "$PEER_PID" 2>/dev/null
	jail_safety_net
}
trap doctor_cleanup EXIT

initpid() { jstate "$BRIG_RUNDIR/$1/state" init; }
# in_jail JAIL CMD...: CMD in the jail's network namespace (the fault).
in_jail() { j=$1; shift; nsenter -t "$(initpid "$j")" -n "$@"; }

# hop_check FILE SECTION NAME-REGEX STATUS: the report in FILE (doctor
# --json) has a hop of SECTION whose name matches with that status.
cat >"$T/hop.py" <<'EOF2'
import json, re, sys
rep = json.load(open(sys.argv[1]))
sec, name, st = sys.argv[2], sys.argv[3], sys.argv[4]
for r in rep:
    for h in r["hops"]:
        if h["section"] == sec and re.search(name, h["name"]) and h["status"] == st:
            if st in ("FAIL", "WARN") and not h["fix"]:
                sys.exit("hop %s %s has no fix" % (sec, h["name"]))
            sys.exit(0)
sys.exit("no %s hop %s /%s/ in: %s" % (st, sec, name, json.dumps(rep, indent=1)))
EOF2
# doctor_fails JAIL SECTION NAME-REGEX: brig doctor JAIL exits 1 and names
# that hop as failed.
doctor_fails() {
	echo "doctor_fails $*"
	expect_rc 1 "$BRIG" doctor "$1" --json
	printf '%s\n' "$OUT" >"$T/rep.json"
	python3 "$T/hop.py" "$T/rep.json" "$2" "$3" FAIL || fail "doctor $1: $2 $3 not failed"
}
# doctor_ok JAIL: brig doctor JAIL exits 0, no hop failed or warned.
# After a repair, the jail's neighbour entry for its gateway may still be
# in resolution (retried each second): the jail pings it first, once.
doctor_ok() {
	set +e
	in_jail "$1" busybox ping -c1 -W3 10.80.0.1 >/dev/null 2>&1
	in_jail "$1" busybox ping -c1 -W3 fd00:80::1 >/dev/null 2>&1
	"$BRIG" doctor "$1" --json >"$T/rep.json" 2>"$T/err"
	rc=$?
	set -e
	python3 - "$T/rep.json" <<'EOF2' || fail "doctor $1 not all OK"
import json, sys
rep = json.load(open(sys.argv[1]))
bad = [h for r in rep for h in r["hops"] if h["status"] not in ("OK", "SKIP")]
sys.exit(json.dumps(bad, indent=1) if bad else 0)
EOF2
	[ "$rc" = 0 ] || fail "doctor $1 exited $rc: $(cat "$T/err")"
}
