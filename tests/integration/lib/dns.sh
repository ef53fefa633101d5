# Sourced by tests whose healthy jails need a DNS server (brig doctor
# checks that each nameserver of a jail's /etc/resolv.conf answers).
# dns_server ADDR...: a DNS server on ADDR port 53/udp (the gateway's
# addresses, which must exist) answering every query (SERVFAIL), until
# the test ends; its pid is DNS_PID.
dns_server() {
	command -v python3 >/dev/null || skip "python3 missing"
	cat >"$T/dns.py" <<'EOF'
import select, socket, sys
socks = []
for addr in sys.argv[2:]:
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    socks.append(s)
open(sys.argv[1], "w").write("up\n")
while True:
    for s in select.select(socks, [], [])[0]:
        q, peer = s.recvfrom(512)
        if len(q) >= 12:
            s.sendto(q[:2] + bytes([0x81, 0x82]) + q[4:6] + b"\0\0\0\0\0\0" + q[12:], peer)
EOF
	python3 "$T/dns.py" "$T/dns.up" "$@" &
	DNS_PID=$!
	tries=0
	until [ -s "$T/dns.up" ]; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || fail "the test's DNS server did not start"
		sleep 0.05
	done
}
