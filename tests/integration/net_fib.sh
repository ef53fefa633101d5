# exec.fib (issue 20) of jails on the host's stack (shared IP, host
# network). Two LAN peers (lib/fib.sh), A on lan0 and B on lan2, both
# hold 203.0.113.9 and 2001:db8:9::9; the main table reaches them through
# A, table 100 through B. What a jail with exec.fib = 100 sends reaches
# B, what one without it sends reaches A, over IPv4 and IPv6; a server in
# the fib jail answers a client whose route back is in table 100 alone; a
# child jail routes by its parent's table or its own; stop, a SIGKILLed
# init then `brig ls`, a start that fails after the rule and a brig
# killed at any point of a start or a stop leave no rule; a stale rule of
# the jail's mark is replaced; Linux's own tables and a JID the mark has
# no room for are refused. (A vnet jail's: net_fib_vnet.sh.)
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
[ "${BRIG_TEST_USERNS:-}" != 1 ] || skip "a shared-IP jail has no network of its own for a user namespace"
. tests/integration/lib/fib.sh
fib_peer A lan0 192.0.2.2/24 192.0.2.1
fib_peer B lan2 198.51.100.2/24 198.51.100.1
ip addr add 192.0.2.1/24 dev lan0
ip addr add 198.51.100.1/24 dev lan2
ip route add 203.0.113.0/24 via 192.0.2.2
ip route add 203.0.113.0/24 via 198.51.100.2 table 100
# IPv6 the same way: both peers hold 2001:db8:9::9.
for p in A B; do
	$p ip addr add 2001:db8:9::9/128 dev lo
done
A ip addr add 2001:db8:a::2/64 dev eth0 nodad
A ip -6 route add default via 2001:db8:a::1
B ip addr add 2001:db8:b::2/64 dev eth0 nodad
B ip -6 route add default via 2001:db8:b::1
ip addr add 2001:db8:a::1/64 dev lan0 nodad
ip addr add 2001:db8:b::1/64 dev lan2 nodad
ip -6 route add 2001:db8:9::/64 via 2001:db8:a::2
ip -6 route add 2001:db8:9::/64 via 2001:db8:b::2 table 100

mkdir -p "$ROOT/www/f" "$ROOT/www/g"
echo jail-f >"$ROOT/www/f/index.html"
echo jail-g >"$ROOT/www/g/index.html"
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; ip6.addr = \"lan0|2001:db8:a::11\";
	exec.fib = 100; exec.start = \"httpd -p 192.0.2.11:8080 -h /www/f\"; }
g { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.12\"; ip6.addr = \"lan0|2001:db8:a::12\";
	exec.start = \"httpd -p 192.0.2.12:8080 -h /www/g\"; }"
expect_rc 0 "$BRIG" start f g
remember_cgroups f
remember_cgroups g
jid=$(jstate "$BRIG_RUNDIR/f/state" jid)
mark=$(printf '0x%x' $((0xb0000000 + jid)))
r=$(fib_rules)
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100 proto 98" "$(ip rule show)"
expect_grep "^1000:.*fwmark $mark/0xf0003fff lookup 100 proto 98" "$(ip -6 rule show)"
expect_eq "brig's rules with f and g running" 2 "$(printf '%s\n' "$r" | grep -c .)"

# What f sends goes by table 100 (peer B), what g sends by main (peer A).
fib_sent f B 192.0.2.11
fib_sent g A 192.0.2.12
fib_sent f B 2001:db8:a::11 2001:db8:9::9
fib_sent g A 2001:db8:a::12 2001:db8:9::9
grep -q "192.0.2.11\|2001:db8:a::11" "$T/A.log" && fail "f's traffic took the main table: $(cat "$T/A.log")"
grep -q "192.0.2.12\|2001:db8:a::12" "$T/B.log" && fail "g's traffic took table 100: $(cat "$T/B.log")"

# A server of f answers through table 100: a client at 203.0.113.9 of
# peer B (the main table sends 203.0.113.9 to peer A) gets its page; g's
# server answers by the main table, to A: B's client gets nothing.
expect_eq "B's client -> f" jail-f "$(fib_get 192.0.2.11)"
expect_eq "B's client -> g" "" "$(fib_get 192.0.2.12)"

# jls shows it; jail -m is refused on a running jail (its sockets have
# their mark).
ln -sf "$BRIG" "$T/jls"
expect_rc 0 "$T/jls" -j f exec.fib
expect_eq "jls -j f exec.fib" 100 "$OUT"
ln -sf "$BRIG" "$T/jail"
expect_rc 1 "$T/jail" -m name=f exec.fib=101
expect_grep "exec.fib cannot be changed" "$ERR"

expect_rc 0 "$BRIG" stop f g
assert_clean
expect_eq "rules after stop" "" "$(fib_rules)"

# A host-network jail (ip4 = inherit) too: the host's addresses, by
# table 100 (the source its route through lan2 gives).
conf "h { path = \"$ROOT\"; persist; ip4 = inherit; exec.fib = 100; }"
expect_rc 0 "$BRIG" start h
remember_cgroups h
[ -n "$(fib_rules)" ] || fail "no rule for h"
fib_sent h B 198.51.100.1
expect_rc 0 "$BRIG" stop h
assert_clean
expect_eq "rules after stop" "" "$(fib_rules)"

# A child jail routes by its parent's table, or by its own: its group's
# program marks its sockets first, its parent's leaves a mark alone.
for c in c d; do
	mk_busybox_root "$ROOT/j/$c"
	cp "$ROOT/bin/probe" "$ROOT/j/$c/bin/"
done
ip route add 203.0.113.0/24 via 192.0.2.2 table 101
conf "p { path = \"$ROOT\"; persist; children.max = 2; exec.fib = 100; ip4.addr = \"lan0|192.0.2.11\"; }
p.c { path = \"$ROOT/j/c\"; persist; ip4.addr = \"lan0|192.0.2.11\"; }
p.d { path = \"$ROOT/j/d\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 101; }"
expect_rc 0 "$BRIG" start p p.c p.d
remember_cgroups p
remember_cgroups p.c
remember_cgroups p.d
: >"$T/A.log"
: >"$T/B.log"
fib_sent p.c B 192.0.2.11
expect_eq "what reached A from p.c" "" "$(cat "$T/A.log")"
: >"$T/B.log"
fib_sent p.d A 192.0.2.11
expect_eq "what reached B from p.d" "" "$(cat "$T/B.log")"
expect_rc 0 "$BRIG" stop p
assert_clean
expect_eq "rules after stop" "" "$(fib_rules)"

# Its init SIGKILLed: the next `brig ls` removes the rule.
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100; }"
expect_rc 0 "$BRIG" start f
remember_cgroups f
[ -n "$(fib_rules)" ] || fail "no rule for f"
kill -9 "$(jstate "$BRIG_RUNDIR/f/state" init)"
n=0
while [ -e "/proc/$(jstate "$BRIG_RUNDIR/f/state" init)" ] && [ $n -lt 50 ]; do
	n=$((n + 1))
	sleep 0.1
done
expect_rc 0 "$BRIG" ls
assert_clean
expect_eq "rules after a SIGKILL and brig ls" "" "$(fib_rules)"

# A start that fails after the rule step (exec.start), and one whose
# brig is killed right after it (at the next step): no rule left.
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100;
	exec.start = false; }"
expect_rc 1 "$BRIG" start f
expect_grep "f: start: exec.start" "$ERR"
assert_clean
expect_eq "rules after a failed start" "" "$(fib_rules)"
conf "f { path = \"$ROOT\"; persist; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100; }"
expect_rc 137 env BRIG_FAULT=create "$BRIG" start f
[ -n "$(fib_rules)" ] || fail "no rule for f after a start killed at create"
expect_rc 0 "$BRIG" ls
assert_clean
expect_eq "rules after a start killed at create" "" "$(fib_rules)"
# brig killed at each point of a start and a stop: the next command
# leaves no rule (the rule is recorded before it is made).
for verb in start stop; do
	n=1
	while :; do
		[ $verb = start ] || expect_rc 0 "$BRIG" start f
		set +e
		BRIG_FAULT=$n "$BRIG" $verb f >"$T/out" 2>&1
		rc=$?
		set -e
		[ $rc = 0 ] && break
		[ $rc = 137 ] || fail "$verb, fault point $n: brig exited $rc: $(cat "$T/out")"
		assert_clean
		expect_eq "rules after $verb's fault point $n" "" "$(fib_rules)"
		n=$((n + 1))
		[ $n -lt 100 ] || fail "more than 100 fault points?"
	done
	echo "$verb: $((n - 1)) fault points"
	[ $verb = stop ] || expect_rc 0 "$BRIG" stop f
	assert_clean
	expect_eq "rules after $verb" "" "$(fib_rules)"
done

# A rule of the same mark left behind (its record lost) is replaced
# (jid 7: the mark 0xb0000007).
mark=0xb0000007
ip rule add pref 1000 fwmark "$mark/0xf0003fff" lookup 7 proto 98
conf "f { path = \"$ROOT\"; persist; jid = 7; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100; }"
expect_rc 0 "$BRIG" start f
expect_eq "f's rules over a stale one" 1 "$(ip rule show | grep -c "fwmark $mark/")"
expect_grep "lookup 100" "$(ip rule show | grep "fwmark $mark/")"
expect_rc 0 "$BRIG" stop f
assert_clean
expect_eq "rules after stop" "" "$(fib_rules)"

# A JID the mark has no room for is refused before anything is made.
conf "f { path = \"$ROOT\"; persist; jid = 20000; ip4.addr = \"lan0|192.0.2.11\"; exec.fib = 100; }"
expect_rc 1 "$BRIG" start f
expect_grep "f: start: exec.fib: jid 20000: above 16383" "$ERR"
assert_clean
expect_eq "rules after a refused start" "" "$(fib_rules)"

# Linux's own tables are not a jail's.
conf "f { path = \"$ROOT\"; persist; exec.fib = 254; }"
expect_rc 1 "$BRIG" start f
expect_grep "jail.conf:1:.*f: exec.fib: \"254\": not a routing table" "$ERR"
assert_clean
