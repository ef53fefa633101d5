#!/bin/sh
# VNET networking benchmarks (issue 4). Prints figures, asserts nothing:
#   1. start latency (median) of a persist busybox jail without and with
#      vnet (veth pair into bridge0, IPv4 + IPv6 address, default routes),
#      back to back and after an idle gap, interleaved (and against BASE),
#      and that plumbing alone (net_jail_up, bench/net_plumbing.c, wall and
#      CPU time: on a busy machine the difference of two starts is noise),
#      each with and without the anti-spoofing filter of the bridge port
#      (vnet.spoofcheck, issue 12);
#   2. the same plumbing done the seed's way, a shell hook running `ip`
#      (veth pair, into the jail's namespace, bridge port, address, route),
#      timed in the same run on a fresh namespace each time;
#   3. `brig start --all` of 100 and of 500 vnet jails on one bridge (wall
#      and CPU time of brig and its children).
#   4. stop (issue 14): a vnet stop against a plain stop in the same run
#      (ratio and difference), a restart of a vnet jail, and `brig stop
#      --all` of STOPALL (50) vnet jails, wall.
# ONLY=stop runs section 4 alone, ONLY=start section 1 alone.
# BASE=/path/to/another/brig: section 1 for it too, in the same run.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare), in a private tmpfs; every jail is stopped at the end.
# Targets: vnet adds < 1 ms to a start (issue 14); brig >= 10x faster than the hook;
# the 500-jail start-all <= 6x the 100-jail one; a vnet stop within 2 ms
# of a plain one.
#
#   BUILD=build sh bench/net_vnet.sh       RUNS=30 JAILS_SMALL=100 JAILS_BIG=500
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
BRIG=$PWD/$BUILD/brig
RUNS=${RUNS:-30}
SMALL=${JAILS_SMALL:-100}
BIG=${JAILS_BIG:-500}
[ -x "$BRIG" ] || { echo "bench: build $BRIG first (make)" >&2; exit 1; }
[ -f "$BUILD/libbrig.a" ] || { echo "bench: $BUILD/libbrig.a missing (make)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (make deps)" >&2; exit 1; }
bench_tmpfs
ip link set lo up
cleanup() {
	"$BRIG" stop --all >/dev/null 2>&1 || true
	[ -z "${BASE:-}" ] || BRIG_RUNDIR="$T/run-base" BRIG_CONFDIR="$T/etc-base" "$BASE" stop --all >/dev/null 2>&1 || true
	[ -f "$T/sleeper" ] && kill "$(cat "$T/sleeper")" 2>/dev/null
	bench_groups_rm "$BRIG_RUNDIR" "$T/run-base"
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT
mk_busybox_root "$T/root"
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -Isrc -o "$T/net_plumbing" bench/net_plumbing.c \
	"$BUILD/libbrig.a" $(pkg-config --libs libmnl libnftables libarchive libseccomp libcap)
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs)"

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print('%.1f' % (a / b) if b > 0 else 'inf')" "$1" "$2"; }
minus() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2"; }
# vnet_jails N: jail.conf holds N persist vnet jails j0.. on bridge big.
vnet_jails() {
	: >"$BRIG_CONFDIR/jail.conf"
	i=0
	while [ $i -lt "$1" ]; do
		printf 'j%d { path = "%s"; persist; vnet; vnet.bridge = big; ip4.addr = "10.20.%d.%d/20"; ip4.defaultrouter = "10.20.0.1"; }\n' \
			$i "$T/root" $((i / 200)) $((i % 200 + 10)) >>"$BRIG_CONFDIR/jail.conf"
		i=$((i + 1))
	done
}

cat >"$BRIG_CONFDIR/networks.conf" <<'EOF'
bridge0 { ip4.addr = "10.10.0.1/24"; ip6.addr = "fd00:10::1/64"; }
big { ip4.addr = "10.20.0.1/20"; }
EOF
cat >"$BRIG_CONFDIR/jail.conf" <<EOF
plain { path = "$T/root"; persist; }
v { path = "$T/root"; persist; vnet; vnet.bridge = bridge0; vnet.interface = epair_vb;
    ip4.addr = "10.10.0.5/24"; ip4.defaultrouter = "10.10.0.1";
    ip6.addr = "fd00:10::5/64"; ip6.defaultrouter = "fd00:10::1"; }
vn { path = "$T/root"; persist; vnet; vnet.bridge = bridge0; vnet.interface = epair_nb;
    ip4.addr = "10.10.0.7/24"; ip4.defaultrouter = "10.10.0.1";
    ip6.addr = "fd00:10::7/64"; ip6.defaultrouter = "fd00:10::1"; vnet.spoofcheck = 0; }
EOF
"$BRIG" net up bridge0

# Section 4: stops. A vnet stop used to delete its veth's host end, which
# waits out the kernel's teardown of the jail's namespace.
stops() {
	echo "== 4. stop of a persist busybox jail, median of $RUNS"
	# Right after its start, a jail's namespace is still held for an RCU
	# grace period by the netlink socket the start used in it (sockets
	# are freed after one); 0.1 s later it is not. Both are printed.
	for gap in 0.1 0; do
		if [ "$gap" = 0 ]; then
			echo "-- back to back (stop right after the start)"
		else
			echo "-- stop $gap s after the start"
		fi
		pstop=$(median --prepare "sh -c '$BRIG start plain >/dev/null; sleep $gap'" "$BRIG stop plain")
		vstop=$(median --prepare "sh -c '$BRIG start v >/dev/null; sleep $gap'" "$BRIG stop v")
		nstop=$(median --prepare "sh -c '$BRIG start vn >/dev/null; sleep $gap'" "$BRIG stop vn")
		echo "plain stop:    $pstop ms"
		echo "vnet stop:     $vstop ms   ($(ratio "$vstop" "$pstop")x; difference $(minus "$vstop" "$pstop") ms, target < 2 ms)"
		echo "vnet stop, spoofcheck = 0: $nstop ms ($(ratio "$nstop" "$pstop")x; difference $(minus "$nstop" "$pstop") ms)"
	done
	"$BRIG" start v >/dev/null
	rst=$(median "$BRIG restart v")
	"$BRIG" stop v >/dev/null
	echo "vnet restart:  $rst ms"
	n=${STOPALL:-50}
	cp "$BRIG_CONFDIR/jail.conf" "$T/jail.conf.keep"
	vnet_jails "$n"
	"$BRIG" net up big
	"$BRIG" start --all >/dev/null
	/usr/bin/time -o "$T/time3" -f "%e %U %S" "$BRIG" stop --all >/dev/null
	left=$(ip -o link show master big 2>/dev/null | wc -l)
	python3 -c "import sys; w, u, s = map(float, open(sys.argv[1]).read().split()); print('stop --all of %s vnet jails: %.3f s wall (%.2f ms/jail), %.2f s CPU; bridge ports right after: %s' % (sys.argv[2], w, w * 1000 / int(sys.argv[2]), u + s, sys.argv[3]))" \
		"$T/time3" "$n" "$left"
	cp "$T/jail.conf.keep" "$BRIG_CONFDIR/jail.conf"
}
if [ "${ONLY:-}" = stop ]; then
	stops
	exit 0
fi

echo "== 1. start of a persist busybox jail: plain, vnet (veth pair, bridge port and its"
echo "   filter, IPv4+IPv6, 2 default routes), vnet with vnet.spoofcheck = 0; back to back"
echo "   (right after its stop) and after an idle gap (0.3 s after its stop). Interleaved:"
echo "   each of $RUNS rounds starts every jail once each way (and BASE's), so that the"
echo "   machine's load falls on all alike; medians of wall and of CPU time (brig and the"
echo "   children it waits for)"
# BASE's jails have interfaces and addresses of their own: with the same
# names, either brig would take the other's running jail's host end for a
# leftover of its own.
if [ -n "${BASE:-}" ]; then
	mkdir -p "$T/run-base" "$T/etc-base"
	cp "$BRIG_CONFDIR/networks.conf" "$T/etc-base/"
	sed -e 's/epair_v/epair_V/; s/epair_n/epair_N/; s/0\.5\//0.15\//; s/::5\//::15\//' \
		-e 's/0\.7\//0.17\//; s/::7\//::17\//' "$BRIG_CONFDIR/jail.conf" >"$T/etc-base/jail.conf"
fi
python3 - "$RUNS" "$BRIG" "$BRIG_RUNDIR" "$BRIG_CONFDIR" ${BASE:+"$BASE" "$T/run-base" "$T/etc-base"} <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, bins = int(sys.argv[1]), sys.argv[2:]
builds = [("brig", *bins[0:3])] + ([("BASE", *bins[3:6])] if len(bins) > 3 else [])
jails, gaps = ("plain", "v", "vn"), (0, 0.3)
wall, cpu = {}, {}
def run(b, rundir, confdir, *args):
    subprocess.run([b, *args], env=dict(os.environ, BRIG_RUNDIR=rundir, BRIG_CONFDIR=confdir), check=args[0] == "start",
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for r in range(runs + 2):                  # the first two rounds warm up
    for gap in gaps:
        for label, b, rundir, confdir in builds:
            for j in jails:
                run(b, rundir, confdir, "stop", j)
                if gap:
                    time.sleep(gap)
                c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                run(b, rundir, confdir, "start", j)
                t1 = time.perf_counter()
                c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                if r >= 2:
                    k = (label, gap, j)
                    wall.setdefault(k, []).append((t1 - t0) * 1000)
                    cpu.setdefault(k, []).append((c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) * 1000)
for label, b, rundir, confdir in builds:
    for j in jails:
        run(b, rundir, confdir, "stop", j)
    for gap in gaps:
        when = "back to back" if not gap else "after %s s" % gap
        m = {j: statistics.median(wall[(label, gap, j)]) for j in jails}
        c = {j: statistics.median(cpu[(label, gap, j)]) for j in jails}
        print("%-4s %-12s plain %6.2f ms | vnet %6.2f ms (+%5.2f, %.2fx) | spoofcheck=0 %6.2f ms (+%5.2f, %.2fx)"
              % (label, when, m["plain"], m["v"], m["v"] - m["plain"], m["v"] / m["plain"],
                 m["vn"], m["vn"] - m["plain"], m["vn"] / m["plain"]))
        print("%-4s %-12s   CPU %6.2f ms |      %6.2f ms (+%5.2f)        |              %6.2f ms (+%5.2f)"
              % ("", "", c["plain"], c["v"], c["v"] - c["plain"], c["vn"], c["vn"] - c["plain"]))
if len(builds) > 1:
    for gap in gaps:
        when = "back to back" if not gap else "after %s s" % gap
        print("brig/BASE %-12s plain %.2fx, vnet %.2fx, spoofcheck=0 %.2fx" % (when, *(
            statistics.median(wall[("brig", gap, j)]) / statistics.median(wall[("BASE", gap, j)])
            for j in jails)))
PY
echo "(target: vnet adds < 1 ms to a plain start, back to back and after the gap)"
if [ "${ONLY:-}" = start ]; then
	exit 0
fi
set -- $("$T/net_plumbing" "$((RUNS * 3))")
cost=$1
echo "net_jail_up alone, median of $((RUNS * 3)): $1 ms wall, $2 ms CPU (target < 2 ms); removal $3 ms"
set -- $("$T/net_plumbing" "$((RUNS * 3))" nospoof)
echo "  the same, spoofcheck = 0: $1 ms wall, $2 ms CPU; removal $3 ms"
echo "  (in this loop the filter's removal leaves an RCU grace period pending that the"
echo "  next run's nft transaction waits out; a brig start after a brig stop does not:"
echo "  the start figures above are the ones to read)"

echo "== 2. the same plumbing the seed's way: a hook running ip, median of $RUNS"
# The seed's jail-epair.sh + jail-net.sh, with Linux's ip: a fresh network
# namespace (a sleeping process) stands for the jail each time.
cat >"$T/seed-hook.sh" <<'EOF'
#!/bin/sh
set -eu
pid=$(cat "$1")
ip link add epair_sa type veth peer name epair_sb
ip link set epair_sb netns "$pid"
ip link set epair_sa master bridge0
ip link set epair_sa up
nsenter -t "$pid" -n ip link set lo up
nsenter -t "$pid" -n ip link set epair_sb up
nsenter -t "$pid" -n ip addr add 10.10.0.6/24 dev epair_sb
nsenter -t "$pid" -n ip -6 addr add fd00:10::6/64 dev epair_sb nodad
nsenter -t "$pid" -n ip route replace default via 10.10.0.1
nsenter -t "$pid" -n ip -6 route replace default via fd00:10::1
EOF
cat >"$T/fresh-ns.sh" <<'EOF'
#!/bin/sh
# A new "jail" namespace for the next run; the last one's pair goes with it.
[ -f "$T/sleeper" ] && kill "$(cat "$T/sleeper")" 2>/dev/null
ip link del epair_sa 2>/dev/null || true
unshare --net sleep 600 </dev/null >/dev/null 2>&1 &
echo $! >"$T/sleeper"
sleep 0.05
EOF
seed=$(median --prepare "sh $T/fresh-ns.sh" "sh $T/seed-hook.sh $T/sleeper")
echo "seed's hook:   $seed ms"
echo "brig's vnet:   $cost ms (net_jail_up)  -> brig is $(ratio "$seed" "$cost")x faster (target >= 10x)"
kill "$(cat "$T/sleeper")" 2>/dev/null || true
rm -f "$T/sleeper"

echo "== 3. brig start --all of N vnet jails on one bridge (one run each)"
startall() {
	n=$1
	vnet_jails "$n"
	"$BRIG" net up big
	/usr/bin/time -o "$T/time" -f "%e %U %S" "$BRIG" start --all >"$T/start.log" 2>&1 ||
		{ tail -5 "$T/start.log" >&2; return 1; }
	ports=$(ip -o link show master big 2>/dev/null | wc -l)
	/usr/bin/time -o "$T/time2" -f "%e" "$BRIG" stop --all >/dev/null 2>&1
	python3 -c "import sys; w, u, s = map(float, open(sys.argv[1]).read().split()); n = int(sys.argv[3]); print('%4d jails: start-all %.2f s wall (%.2f ms/jail), %.2f s CPU; stop-all %.2f s; bridge ports while up: %s' % (n, w, w * 1000 / n, u + s, float(open(sys.argv[2]).read()), sys.argv[4]))" \
		"$T/time" "$T/time2" "$n" "$ports" | tee -a "$T/all.txt"
	cut -d' ' -f1 "$T/time"
}
# vnet_jails replaces jail.conf: the jails of sections 1 and 4 come back
# after (section 4 used to fail here, on a "plain" jail no longer there).
cp "$BRIG_CONFDIR/jail.conf" "$T/jail.conf.main"
s_small=$(startall "$SMALL" | tail -1)
s_big=$(startall "$BIG" | tail -1)
cp "$T/jail.conf.main" "$BRIG_CONFDIR/jail.conf"
cat "$T/all.txt"
echo "$BIG/$SMALL start-all ratio: $(ratio "$s_big" "$s_small")x (linear: $(ratio "$BIG" "$SMALL")x; target <= 6x)"

stops
