#!/bin/sh
# make demo: the seed's setup, end to end, in a throwaway sandbox.
#
# An uplink (a veth pair to an upstream router's network namespace, the
# default route through it) and the host's DNS server on 10.10.0.1 (dnsmasq,
# the sandbox's /etc/resolv.conf), as the seed's host has;
# a busybox template; bridge0 (10.10.0.1/24, NAT) in networks.conf; three
# thin jails dns, db and web whose jail.conf.d files include a shared
# base.conf with $short, $ip4, $gw4, as the seed's do; db depends on dns, web
# on db; services started by each jail's rc from rc.conf; port 8080 on the
# host redirected to web:80. Everything happens in private network, mount
# and PID namespaces: the machine's interfaces, firewall and mounts are
# never touched, and nothing is left when the demo ends.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BRIG_DEMO_SANDBOX:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "demo: must run as root (namespaces, mounts)" >&2; exit 1; }
	exec env BRIG_DEMO_SANDBOX=1 unshare --net --mount --pid --fork --mount-proc \
		--propagation private sh "$0" "$@"
fi

BRIG="${BRIG:-$top/${BUILD:-build}/brig}"
T=$(mktemp -d /tmp/brig-demo.XXXXXX)
mount -t tmpfs -o mode=0755 brig-demo "$T"
# base.conf's exec.consolelog writes /var/log/jail_console_NAME.log, as the
# seed's does: in the sandbox, that /var/log is a tmpfs of its own.
mount -t tmpfs -o mode=0755 brig-demo-log /var/log
# The seed's host resolves through its local DNS server at 10.10.0.1 and
# its template copies the host's /etc/resolv.conf: so does the sandbox's
# (a file of its own mounted over /etc/resolv.conf, in its mount namespace).
echo "nameserver 10.10.0.1" >"$T/resolv.conf"
mount --bind "$T/resolv.conf" /etc/resolv.conf
export BRIG_CONFDIR="$T/etc/brig" BRIG_RUNDIR="$T/run/brig" BRIG_STOREDIR="$T/var/lib/brig" BRIG_LOGDIR="$T/var/log/brig"
mkdir -p "$BRIG_CONFDIR/jail.conf.d"
ip link set lo up

n=0
step() {
	n=$((n + 1))
	printf '\n\033[1m%2d. %s\033[0m\n' "$n" "$*"
}
# run CMD...: show the command and its output; the demo stops if it fails.
run() {
	printf '   $ %s\n' "$*"
	rc=0
	"$@" >"$T/out" 2>&1 || rc=$?
	sed 's/^/     /' "$T/out"
	if [ "$rc" -ne 0 ]; then
		echo "demo: \`$*\` failed (exit $rc)" >&2
		exit 1
	fi
}
brig() { "$BRIG" "$@"; }
# retry CMD...: services start in the background of each jail's rc, so give
# them a moment: up to 20 tries, 0.25 s apart.
retry() {
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || return 1
		sleep 0.25
	done
}

UPLINK_PID="" DNS_PID=""
cleanup() {
	"$BRIG" stop --all >/dev/null 2>&1 || true
	# brig's own cgroup group stays, empty, after the last jail stops:
	# the demo's goes with it (cgroupfs is the host's).
	"$BRIG" _cgroup-group --remove || echo "demo: brig's cgroup group is still in use" >&2
	[ -z "$DNS_PID" ] || kill "$DNS_PID" 2>/dev/null || true
	[ -z "$UPLINK_PID" ] || kill "$UPLINK_PID" 2>/dev/null || true
	umount /etc/resolv.conf 2>/dev/null || true
	umount -R -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT

t0=$(date +%s%N)

step "The sandbox's uplink: a veth pair to an upstream router (a network namespace of its own), the default route through it"
# A real host has one: bridge0's NAT sends the jails' traffic out by it.
unshare --net sleep 2147483647 &
UPLINK_PID=$!
until [ "$(readlink "/proc/$UPLINK_PID/ns/net")" != "$(readlink /proc/self/ns/net)" ]; do
	sleep 0.01
done
ip link add up0 type veth peer name up0p netns "/proc/$UPLINK_PID/ns/net"
nsenter -t "$UPLINK_PID" -n sh -c 'ip link set lo up && ip addr add 192.0.2.1/24 dev up0p && ip link set up0p up'
ip addr add 192.0.2.2/24 dev up0
ip link set up0 up
ip route add default via 192.0.2.1
run ip route show default

step "A template from the host's static busybox (no images, no registry)"
run brig template create base --from busybox
run brig template ls

step "networks.conf: bridge0 is the jails' LAN, the host is 10.10.0.1 and masquerades"
cp "$top/examples/demo/networks.conf" "$BRIG_CONFDIR/networks.conf"
sed 's/^/     /' "$BRIG_CONFDIR/networks.conf"
# The host's local DNS server on 10.10.0.1, as the seed's (its address
# comes with bridge0: --bind-dynamic listens once it is there). It knows
# the three jails' names; it has no upstream (the sandbox has no Internet).
dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file= --no-resolv --no-hosts \
	--bind-dynamic --listen-address=10.10.0.1 --local=/demo/ --log-facility="$T/dnsmasq.log" \
	--host-record=dns.demo,10.10.0.10 --host-record=db.demo,10.10.0.20 \
	--host-record=web.demo,10.10.0.30 &
DNS_PID=$!
echo "     the host's DNS server for the jails: dnsmasq on 10.10.0.1:53 (dns.demo, db.demo, web.demo)"

step "base.conf: what every jail shares, as in the seed (\$short, \$ip4, \$gw4)"
cp "$top/examples/demo/base.conf" "$BRIG_CONFDIR/base.conf"
echo "     $BRIG_CONFDIR/base.conf: exec.start/stop, vnet on bridge0, addresses, devfs"

step "Three thin jails cloned from the template, each including base.conf"
# mkjail NAME IP4 [PARAM...]: a thin jail whose jail.conf.d file sets the
# seed's variables and includes the shared base.conf.
mkjail() {
	name=$1 ip4=$2
	shift 2
	run brig create "$name" -t base "\$short=$name" "\$ip4=$ip4/24" '$gw4=10.10.0.1' \
		.include=../base.conf "$@"
}
mkjail dns 10.10.0.10
mkjail db 10.10.0.20 depend=dns
mkjail web 10.10.0.30 depend=db 'rdr=tcp 8080 80'
echo "     jail.conf.d/web.conf:"
sed 's/^/       /' "$BRIG_CONFDIR/jail.conf.d/web.conf"
root() { echo "$BRIG_STOREDIR/jails/$1/root"; }

step "Services, enabled in each jail's /etc/rc.conf and started by its /etc/rc"
# web: busybox httpd serving /var/www
mkdir -p "$(root web)/var/www"
echo "hello from the web jail" >"$(root web)/var/www/index.html"
printf 'httpd_enable="YES"\n' >>"$(root web)/etc/rc.conf"
# db: a TCP listener on 5432 answering every connection (busybox nc)
printf 'nc_enable="YES"\nnc_flags="-p 5432 -e /bin/echo db: ready"\n' >>"$(root db)/etc/rc.conf"
# dns: Debian's busybox has no DNS server; udhcpd is its one UDP server
cat >"$(root dns)/etc/udhcpd.conf" <<'CONF'
start 10.10.0.200
end 10.10.0.210
interface epair_dnsb
lease_file /var/udhcpd.leases
CONF
: >"$(root dns)/var/udhcpd.leases"
printf 'udhcpd_enable="YES"\n' >>"$(root dns)/etc/rc.conf"
echo "     web: httpd on tcp :80   db: nc on tcp :5432   dns: udhcpd on udp :67"

step "The configuration checks (every jail in jail.conf.d is found: no jail_list)"
run brig config check

step "Start everything, in depend order: dns, then db, then web"
run brig start --all

step "brig ls"
run brig ls

step "The web page through the redirect (host port 8080 -> web:80)"
retry timeout 2 busybox wget -q -O /dev/null http://10.10.0.1:8080/ || true
run timeout 5 busybox wget -q -O - http://10.10.0.1:8080/

step "From web: talk to db over TCP and to dns over UDP"
run brig exec web nc -w 3 10.10.0.20 5432
run brig exec web udhcpc -i epair_webb -n -q -f -s /bin/true -t 5 -T 1

step "From web: names through the host's DNS server (the template's /etc/resolv.conf)"
run brig exec web cat /etc/resolv.conf
run brig exec web nslookup db.demo

step "brig doctor: the host, then each jail's hops and services (web's rdr probed)"
run brig doctor
run brig doctor dns
run brig doctor db
run brig doctor --rdr web

step "A snapshot of web"
run brig snapshot web before-upgrade
run brig snapshots web

step "Stop everything (reverse order)"
run brig stop --all

step "Nothing left behind"
# A stopped jail's network namespace is freed by the kernel in the
# background, its veth pair with it (a pair whose namespace was still
# held at the stop waits for it renamed brig-N: doc/net.md, "Stop"):
# give that a moment.
retry sh -c '! ip -o link show | grep -qE " (epair_|brig-[0-9])"' || true
printf '     interfaces: %s (the uplink stays, it is the host'"'"'s)\n' \
	"$(ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | tr '\n' ' ')"
printf '     jail rules: %s (bridge0 and its NAT rule stay, as declared)\n' \
	"$(nft list table inet brig 2>/dev/null | grep -c 'comment "jail:' || true)"
printf '     jail mounts: %s (the thin roots stay at their paths, as ZFS clones do: %s)\n' \
	"$(grep " $BRIG_STOREDIR/jails/" /proc/self/mountinfo | grep -vc " $BRIG_STOREDIR/jails/[^/ ]*/root " || true)" \
	"$(grep -c " $BRIG_STOREDIR/jails/[^/ ]*/root " /proc/self/mountinfo || true)"
printf '     running: %s\n' "$("$BRIG" ls | tail -n +2 | wc -l)"
g=$("$BRIG" _cgroup-group)
printf '     jail cgroups: %s (brig'"'"'s own group stays, empty, until the demo removes it)\n' \
	"$(find /sys/fs/cgroup/"$g" /sys/fs/cgroup/*/"$g" -mindepth 1 -type d 2>/dev/null | wc -l)"

t1=$(date +%s%N)
printf '\nDone in %d ms.\n' $(((t1 - t0) / 1000000))
