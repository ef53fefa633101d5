# The seed's layout with brig's networking instead of the hook scripts:
# bridge0 (10.10.0.1/24), jails dns, db and web built from a shared base
# included with $short, $ip4, $gw4. TCP between jails, ping of the gateway,
# rdr from the host and hairpin from another jail, IPv6 between jails, no
# external program run, nothing left behind.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 {
	ip4.addr = "10.10.0.1/24";
	ip6.addr = "fd00:10::1/64";
	nat;
}
EOF
cat >"$BRIG_CONFDIR/jail.conf.d/base.conf" <<EOF
path = "$ROOT";
persist;
mount.devfs;
vnet;
vnet.interface = "epair_\${short}b";
vnet.bridge = "bridge0";
ip4.addr = "\$ip4";
ip4.defaultrouter = "\$gw4";
ip6.addr = "\$ip6";
ip6.defaultrouter = "fd00:10::1";
allow.raw_sockets;
EOF
for j in dns:2 db:3 web:4; do
	name=${j%:*} n=${j#*:}
	extra=""
	[ "$name" = web ] && extra='rdr = "tcp 8080 80";'
	cat >"$BRIG_CONFDIR/jail.conf.d/$name.conf" <<EOF
$name {
	\$short = "$name";
	\$ip4 = "10.10.0.$n/24";
	\$gw4 = "10.10.0.1";
	\$ip6 = "fd00:10::$n/64";
	.include "base.conf";
	$extra
}
EOF
done

# The host before: bridge0 made once, as a jail's start would.
expect_rc 0 "$BRIG" net up bridge0
# Interfaces (names, bridge ports), addresses, routes, every nft rule; not
# the link flags, which the kernel changes as ports come and go.
snapshot() {
	{ ip -o link | sed -E 's/^[0-9]+: ([^:@]+).*/link \1/'
	  ip -o link show master bridge0 | sed -E 's/^[0-9]+: ([^:@]+).*/port \1/'
	  ip -o addr | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'; ip route; ip -6 route
	  nft list ruleset; } | grep -v 'fe80::' | sort
}
snapshot >"$T/before"

# Start under strace: the only programs executed are brig itself and its
# own init program run as each jail's reaper (from brig's memfd; no hooks
# here). strace ends when the last traced process (the inits) does.
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -o "$T/trace" \
	"$BRIG" start dns db web >"$T/start.out" 2>&1 &
strace_pid=$!
for i in $(seq 100); do
	[ "$(grep -c ': created' "$T/start.out" 2>/dev/null)" = 3 ] && break
	grep -q 'FAIL\|rror' "$T/start.out" 2>/dev/null && break
	sleep 0.1
done
expect_eq "started" 3 "$(grep -c ': created' "$T/start.out")"

init_of() {
	"$BRIG" ls --json | python3 -c "import json,sys; print([j['init_pid'] for j in json.load(sys.stdin) if j['name']=='$1'][0])"
}

# The interfaces: the seed's names, plugged into bridge0, stable MACs.
web_init=$(init_of web)
nsenter -t "$web_init" -n ip -o link show epair_webb | grep -q 'UP' || fail "epair_webb not up in web"
ip -o link show epair_weba | grep -q 'master bridge0' || fail "epair_weba not in bridge0"
web_mac=$(nsenter -t "$web_init" -n ip -o link show epair_webb | grep -o 'link/ether [^ ]*')
nsenter -t "$web_init" -n ip route | grep -q 'default via 10.10.0.1 dev epair_webb' ||
	fail "web: no default route"
nsenter -t "$web_init" -n ip -6 route | grep -q 'default via fd00:10::1 dev epair_webb' ||
	fail "web: no IPv6 default route"

# brig ls shows the addresses.
expect_rc 0 "$BRIG" ls
expect_grep '^ *[0-9]*  *web .*10\.10\.0\.4' "$OUT"
expect_rc 0 "$BRIG" net ls
expect_grep '^bridge0  *up  *yes  *no .* web,db,dns$\|^bridge0  *up .*dns' "$OUT"

# TCP between jails, IPv4 and IPv6 (busybox nc, inside the jails).
"$BRIG" exec db sh -c 'nc -ll -p 5432 -e /bin/echo db-ok </dev/null >/dev/null 2>&1 &'
"$BRIG" exec web sh -c 'nc -ll -p 80 -e /bin/echo web-ok </dev/null >/dev/null 2>&1 &'
sleep 0.3
expect_rc 0 timeout 10 "$BRIG" exec dns nc -w 3 10.10.0.3 5432
expect_eq "dns -> db over IPv4" db-ok "$OUT"
expect_rc 0 timeout 10 "$BRIG" exec dns nc -w 3 fd00:10::3 5432
expect_eq "dns -> db over IPv6" db-ok "$OUT"
expect_rc 0 timeout 10 "$BRIG" exec db ping -c1 -W2 fd00:10::2
expect_rc 0 timeout 10 "$BRIG" exec dns ping -c1 -W2 10.10.0.1
expect_rc 0 timeout 10 "$BRIG" exec dns ping -6 -c1 -W2 fd00:10::1

# rdr: from the test host (its address on the bridge) and hairpin.
expect_eq "host -> 10.10.0.1:8080" web-ok "$(timeout 10 busybox nc -w 3 10.10.0.1 8080 </dev/null)"
expect_eq "host -> [fd00:10::1]:8080" web-ok "$(timeout 10 busybox nc -w 3 fd00:10::1 8080 </dev/null)"
expect_rc 0 timeout 10 "$BRIG" exec dns nc -w 3 10.10.0.1 8080
expect_eq "dns -> host:8080 (hairpin)" web-ok "$OUT"
expect_rc 0 timeout 10 "$BRIG" exec web nc -w 3 10.10.0.1 8080
expect_eq "web -> host:8080 (to itself)" web-ok "$OUT"

# A restart keeps the MAC; nothing doubles.
expect_rc 0 "$BRIG" restart web
web_init=$(init_of web)
expect_eq "web's MAC after restart" "$web_mac" \
	"$(nsenter -t "$web_init" -n ip -o link show epair_webb | grep -o 'link/ether [^ ]*')"
expect_eq "web's rules" 8 "$(nft list table inet brig | grep -c 'comment "jail:web"')"

expect_rc 0 "$BRIG" stop --all
wait "$strace_pid" || true
grep execve "$T/trace" >"$T/execs"
[ -s "$T/execs" ] || fail "strace saw nothing"
if grep -v "execve(\"$BRIG\"" "$T/execs" | grep -v 'execve("/proc/self/fd/[0-9]*", \["brig-reaper", '; then
	fail "programs other than brig were executed"
fi

# Nothing left: the host is as it was with bridge0 up. A stop leaves a
# host end the kernel is already removing with the jail's namespace to
# it (issue 14: no wait on that delete), so the links may take a moment
# (bounded: 5 s).
assert_clean
settled "$T/before" "$T/after" snapshot
diff "$T/before" "$T/after" || fail "the host changed"
