# brig import's configuration (issue 15, item 1): PARAM=VALUE overrides as
# brig create takes them, the same check against every other jail before
# anything is written, and with --trust a copy that does not break the
# original: the issue's `brig import web.tzst web2 --trust` copied web's
# address, $short and rdr, after which `brig start web` and `start --all`
# failed on the clash. Every check runs and reports; the test fails at the
# end if any did.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
. tests/integration/lib/jail.sh
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d
. tests/integration/lib/checks.sh
# nothing_left NAME: a refused import wrote nothing.
nothing_left() {
	[ ! -e "$S/jails/$1" ] || ko "$1: a refused import left $S/jails/$1"
	[ ! -e "$C/$1.conf" ] || ko "$1: a refused import left $C/$1.conf"
	[ -z "$(ls -A "$S/tmp" 2>/dev/null)" ] || ko "$1: left in tmp: $(ls -A "$S/tmp")"
	! awk '{ print $5 }' /proc/self/mountinfo | grep -q "^$S/jails/$1/" || ko "$1: a mount left"
}
remember() { [ ! -e "$BRIG_RUNDIR/$1/state" ] || remember_cgroups "$1"; }
stop_all() { $BRIG stop --all >/dev/null 2>&1 || true; jail_safety_net; }
trap stop_all EXIT

# The README's layout: bridge0, a shared base.conf, web with $short, $ip4
# and an rdr.
cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 { ip4.addr = "10.10.0.1/24"; }
EOF
cat >"$BRIG_CONFDIR/base.conf" <<'EOF'
exec.start = "/bin/sh /etc/rc";
persist;
vnet;
vnet.interface = "epair_${short}b";
vnet.bridge = "bridge0";
ip4.addr = "$ip4";
ip4.defaultrouter = "$gw4";
EOF
try $BRIG template create bb --from busybox
[ "$RC" = 0 ] || fail "template create: $ERR"
try $BRIG create web -t bb '$short=web' '$ip4=10.10.0.30/24' '$gw4=10.10.0.1' \
	.include=../base.conf 'rdr=tcp 8080 80'
[ "$RC" = 0 ] || fail "create web: $ERR"
try $BRIG export web "$T/web.tzst"
[ "$RC" = 0 ] || fail "export web: $ERR"
try $BRIG start web
[ "$RC" = 0 ] || fail "start web: $ERR"
remember web

# The issue's case: --trust keeps the archive's configuration; what of it
# clashes with web is renamed (the interface) or left out (the address,
# the rdr), and said. web keeps running and starts again; start --all
# starts both.
try $BRIG import "$T/web.tzst" web2 --trust
ok "import web2 --trust"
has 'web2: vnet.interface "epair_webb" renamed "epair_web2b": jail web uses the same host interface epair_weba' "$ERR" "import web2 --trust"
has 'web2: ip4.addr "10.10.0.30/24" left out: jail web has the same address on bridge bridge0' "$ERR" "import web2 --trust"
has 'web2: rdr "tcp 8080 80" left out: host port tcp/8080 is also forwarded by jail web' "$ERR" "import web2 --trust"
grep -q 'vnet.interface = epair_web2b;\|vnet.interface = "epair_web2b";' "$C/web2.conf" 2>/dev/null ||
	ko "web2.conf: no fresh interface: $(cat "$C/web2.conf" 2>/dev/null)"
! grep -v '^#' "$C/web2.conf" 2>/dev/null | grep -q '10.10.0.30\|rdr' || ko "web2.conf keeps what clashes: $(cat "$C/web2.conf")"
grep -q 'renamed "epair_web2b"' "$C/web2.conf" 2>/dev/null || ko "web2.conf does not say what changed"
try $BRIG config check
ok "config check after import web2 --trust"
try $BRIG stop web
ok "stop web"
try $BRIG start web
ok "start web after import web2 --trust"
try $BRIG start --all
ok "start --all after import web2 --trust"
remember web
remember web2
try $BRIG exec web2 ip -o link show epair_web2b
ok "web2 has its fresh interface"
try $BRIG exec web ip -o addr show epair_webb
has '10.10.0.30/24' "$OUT" "web keeps its address"
try $BRIG stop web2
ok "stop web2"

# Overrides, as brig create takes them: the copy gets its own address and
# name from the shared base.conf (.include first, the archive's settings
# after it, the others last).
try $BRIG import "$T/web.tzst" web3 '$short=web3' '$ip4=10.10.0.40/24' '$gw4=10.10.0.1' \
	.include=../base.conf persist
ok "import web3 with overrides"
grep -q '^	\$ip4 = "10.10.0.40/24";' "$C/web3.conf" 2>/dev/null || ko "web3.conf: no \$ip4: $(cat "$C/web3.conf" 2>/dev/null)"
grep -q '^	.include "../base.conf";' "$C/web3.conf" 2>/dev/null || ko "web3.conf: no .include"
try $BRIG start web3
ok "start web3"
remember web3
try $BRIG exec web3 ip -o addr show epair_web3b
has '10.10.0.40/24' "$OUT" "web3's address from the override"
try $BRIG stop web3

# An override that clashes is refused, naming the clash; nothing written.
try $BRIG import "$T/web.tzst" web4 '$short=web4' '$ip4=10.10.0.30/24' '$gw4=10.10.0.1' \
	.include=../base.conf
[ "$RC" = 1 ] || ko "import web4 with web's address: exit status $RC"
has 'web4: import: ip4.addr "10.10.0.30/24": jail web has the same address on bridge bridge0' "$ERR" "import web4"
nothing_left web4
try $BRIG import "$T/web.tzst" web5 --trust 'rdr=tcp 8080 80'
[ "$RC" = 1 ] || ko "import web5 --trust with web's rdr on the command line: exit status $RC"
has 'web5: import: rdr "tcp 8080 80" (given on the command line): host port tcp/8080 is also forwarded by jail web' "$ERR" "import web5"
nothing_left web5
try $BRIG import "$T/web.tzst" web5 persits
[ "$RC" = 1 ] || ko "import web5 persits: exit status $RC"
has 'unknown parameter "persits"' "$ERR" "import web5 persits"
nothing_left web5
try $BRIG import "$T/web.tzst" web5 path=/tmp
[ "$RC" = 1 ] || ko "import web5 path=/tmp: exit status $RC"
has 'path is set by brig import' "$ERR" "import web5 path=/tmp"
nothing_left web5

# --trust with overrides that clash with nothing: the file stays as the
# archive wrote it (its .include and variables), overrides last.
try $BRIG import "$T/web.tzst" web6 --trust '$short=web6' '$ip4=10.10.0.60/24' 'rdr=tcp 8086 80'
ok "import web6 --trust with overrides"
[ -z "$ERR" ] || ko "import web6: nothing should change: $ERR"
grep -q '^	.include "../base.conf";' "$C/web6.conf" 2>/dev/null || ko "web6.conf lost its .include: $(cat "$C/web6.conf" 2>/dev/null)"
[ "$(grep -c 'path =' "$C/web6.conf" 2>/dev/null)" = 1 ] || ko "web6.conf: not one path"

# All of them together.
try $BRIG start --all
ok "start --all at the end"
for j in web web2 web3 web6; do
	remember $j
done
try $BRIG stop --all
ok "stop --all"

checks_done
