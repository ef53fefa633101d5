# A service on two networks gets a veth pair and an address on each, and
# reaches a peer on each by its name (its jail's /etc/hosts names the
# peer at its address on the network they share); an alias and fixed
# addresses (IPv4 and IPv6) of a network are honoured; a peer on one network does not
# resolve the other's. Busybox stand-ins for the image (umoci, offline).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/compose.sh
C=$BRIG_CONFDIR
S=$BRIG_STOREDIR
mkdir -p "$T/two"

cat >"$T/two/compose.yml" <<'YML'
services:
  front:
    image: bb
    command: ["sh", "-c", "mkdir -p /w && echo front-answers >/w/index.html && exec httpd -f -p 80 -h /w"]
    networks: [a]
  back:
    image: bb
    command: ["sh", "-c", "mkdir -p /w && echo back-answers >/w/index.html && exec httpd -f -p 80 -h /w"]
    networks:
      b:
        ipv4_address: 10.77.2.50
        ipv6_address: "fd77:2::50"
  mid:
    image: bb
    command: ["sh", "-c", "exec httpd -f -p 81 -h /"]
    cap_add: [NET_RAW]
    dns: [10.77.1.53]
    dns_search: example.org
    networks:
      a:
      b:
        aliases: [middle]
networks:
  a:
    internal: true
    ipam: {config: [{subnet: 10.77.1.0/24}]}
  b:
    internal: true
    ipam: {config: [{subnet: 10.77.2.0/24}, {subnet: "fd77:2::/64"}]}
YML

expect_rc 0 $BRIG compose import "$T/two/compose.yml" --images "$T/images"
expect_grep '^	vnet.bridge = "two_a",$' "$(cat "$C/jail.conf.d/two_mid.conf")"
expect_grep '^	    "two_b|10.77.2.2/24";$' "$(cat "$C/jail.conf.d/two_mid.conf")"
expect_grep '^10.77.2.50	back two_back$' "$(cat "$S/jails/two_mid/root/etc/hosts")"
expect_grep "^10.77.2.2	mid two_mid middle$" "$(cat "$S/jails/two_back/root/etc/hosts")"
! grep -q front "$S/jails/two_back/root/etc/hosts" || fail "back's /etc/hosts names front"
# dns: mid's own resolv.conf; cap_add NET_RAW: allow.raw_sockets.
expect_grep '^nameserver 10.77.1.53$' "$(cat "$S/jails/two_mid/root/etc/resolv.conf")"
expect_grep '^search example.org$' "$(cat "$S/jails/two_mid/root/etc/resolv.conf")"
expect_grep '^	allow.raw_sockets;' "$(cat "$C/jail.conf.d/two_mid.conf")"
expect_rc 0 $BRIG config check

expect_rc 0 $BRIG compose up two
# CAP_NET_RAW (13) in mid's bounding set, not in front's.
expect_rc 0 $BRIG exec two_mid grep CapBnd /proc/self/status
[ $(( 0x$(echo "$OUT" | awk '{print $2}') >> 13 & 1 )) = 1 ] || fail "mid has no CAP_NET_RAW: $OUT"
expect_rc 0 $BRIG exec two_front grep CapBnd /proc/self/status
[ $(( 0x$(echo "$OUT" | awk '{print $2}') >> 13 & 1 )) = 0 ] || fail "front has CAP_NET_RAW: $OUT"
# mid has an interface on each bridge.
expect_rc 0 $BRIG exec two_mid ip -o -4 addr show
expect_grep ' 10.77.1.3/24 ' "$OUT"
expect_grep ' 10.77.2.2/24 ' "$OUT"
# The httpd start in the background of the start (bounded wait, 10 s).
tries=0
until $BRIG exec two_mid timeout 2 wget -q -O- http://front/ >/dev/null 2>&1 &&
	$BRIG exec two_mid timeout 2 wget -q -O- http://back/ >/dev/null 2>&1; do
	tries=$((tries + 1))
	[ $tries -lt 100 ] || break
	sleep 0.1
done
expect_rc 0 $BRIG exec two_mid timeout 5 wget -q -O- http://front/
expect_eq "front by name from mid (network a)" front-answers "$OUT"
expect_rc 0 $BRIG exec two_mid timeout 5 wget -q -O- http://back/
expect_eq "back by name from mid (network b)" back-answers "$OUT"
# IPv6 on b: mid's address there, back's fixed one.
expect_rc 0 $BRIG exec two_mid ip -o -6 addr show
expect_grep ' fd77:2::2/64 ' "$OUT"
expect_rc 0 $BRIG exec two_mid timeout 5 wget -q -O- "http://[fd77:2::50]/"
expect_eq "back's IPv6 address from mid" back-answers "$OUT"
# back reaches mid by its alias on b.
expect_rc 0 $BRIG exec two_back timeout 5 wget -q -O- http://middle:81/etc/hosts
expect_grep '^10.77.1.3	mid two_mid$' "$OUT"

expect_rc 0 $BRIG compose down two
! ip link show two_a >/dev/null 2>&1 || fail "compose down left bridge two_a"
! ip link show two_b >/dev/null 2>&1 || fail "compose down left bridge two_b"
for j in two_front two_back two_mid; do expect_rc 0 $BRIG destroy $j; done
