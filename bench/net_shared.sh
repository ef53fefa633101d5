#!/bin/sh
# Shared-IP jail benchmarks (issue 20). Prints figures, asserts nothing:
# the start and the stop (median) of a persist busybox jail with an IPv4
# and an IPv6 address on lan0 (one end of a veth pair: this kernel may have no dummy), no vnet: its aliases
# added and removed by netlink, its socket programs on its cgroup (steps
# ifaddr and sockaddr), and of one with an IPv4 address only (shared4),
# against the same jail
#   - without addresses (its own empty network namespace: the default);
#   - with ip4 = inherit, ip6 = inherit (the host's stack, no program, no
#     alias: what the two steps cost on their own);
# ratio and difference; and one with an IPv4 address and an rdr (rdr4:
# its rules, one nftables transaction at start and one at stop) against
# shared4. Everything happens inside throwaway namespaces (it
# re-runs itself under unshare), in a private tmpfs.
# Target: a few hundred microseconds added to a start.
#
#   BUILD=build sh bench/net_shared.sh       RUNS=30
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
BRIG=$PWD/$BUILD/brig
RUNS=${RUNS:-30}
[ -x "$BRIG" ] || { echo "bench: build $BRIG first (make)" >&2; exit 1; }
bench_tmpfs
cleanup() {
	"$BRIG" stop --all >/dev/null 2>&1 || true
	bench_groups_rm "$BRIG_RUNDIR"
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT
ip link set lo up
ip link add lan0 type veth peer name lan1
ip addr add 192.0.2.1/24 dev lan0
ip link set lan0 up
mk_busybox_root "$T/root"
cat >"$BRIG_CONFDIR/jail.conf" <<EOF2
plain { path = "$T/root"; persist; }
inherit { path = "$T/root"; persist; ip4 = inherit; ip6 = inherit; }
shared { path = "$T/root"; persist; interface = lan0; ip4.addr = 192.0.2.11; ip6.addr = 2001:db8::11; }
shared4 { path = "$T/root"; persist; ip4.addr = "lan0|192.0.2.12"; }
rdr4 { path = "$T/root"; persist; ip4.addr = "lan0|192.0.2.13"; rdr = "tcp 8080 80"; }
EOF2

# Interleaved rounds (plain, inherit, shared, one after the other, RUNS
# times: the machine's load hits all three alike): the median wall time
# of each start and stop, and the median CPU time (user + system of brig
# and its children), which the load of other work on the machine does
# not inflate.
python3 - "$BRIG" "$RUNS" <<'PY'
import resource, statistics, subprocess, sys, time
brig, runs = sys.argv[1], int(sys.argv[2])
jails = ("plain", "inherit", "shared", "shared4", "rdr4")
wall = {(j, v): [] for j in jails for v in ("start", "stop")}
cpu = {k: [] for k in wall}
def run(j, v):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([brig, v, j], check=True, stdout=subprocess.DEVNULL)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall[j, v].append((t1 - t0) * 1e3)
    cpu[j, v].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1e3)
for i in range(runs + 3):
    for j in jails:
        run(j, "start")
        run(j, "stop")
    if i == 2:	# warm-up rounds
        for d in (wall, cpu):
            for k in d:
                d[k].clear()
med = lambda d, j, v: statistics.median(d[j, v])
print("== shared-IP start/stop (median of %d interleaved rounds; wall ms / CPU ms)" % runs)
for v in ("start", "stop"):
    for j in jails:
        print("%-5s %-8s %7.3f / %6.3f" % (v, j, med(wall, j, v), med(cpu, j, v)))
    for j, bases in (("shared", ("plain", "inherit")), ("shared4", ("plain", "inherit")),
                     ("rdr4", ("shared4",))):
        for base in bases:
            a, b = med(wall, base, v), med(wall, j, v)
            ca, cb = med(cpu, base, v), med(cpu, j, v)
            print("%-5s %-7s against %-7s: %.2fx, %+.0f us wall; %.2fx, %+.0f us CPU"
                  % (v, j, base, b / a, (b - a) * 1e3, cb / ca, (cb - ca) * 1e3))
PY
left=$(ip -o addr show dev lan0 | grep -c "192.0.2.1[12]\|2001:db8::11" || true)
echo "aliases left after the runs: $left"
