#!/bin/sh
# `brig start --all` and `brig stop --all` of 50 and of 500 jails, plain
# and VNET (issue 14): wall time and CPU (user + sys of brig and every
# child it waited for: getrusage), medians over ROUNDS interleaved rounds,
# the load average during each figure, and the 500/50 ratio of each.
# Linear work gives 10; the target (issue 14) is <= 11. Prints figures,
# asserts nothing.
#
#   sh bench/start_all.sh [BRIG...]
#
# plain: path jails sharing one busybox root, persist, no network (an
#        empty network namespace each).
# vnet:  the same with `vnet; vnet.bridge = big;` (a veth pair per jail
#        into one bridge, with its anti-spoofing filter; no address).
# Each BRIG (default: $BUILD/brig) is measured in the same run, with a
# run directory of its own (so its cgroups are its own): e.g. the binary of
# the branch point against the current one. A round starts and stops every
# SIZE of every MODE with every BRIG, one after the other, so that the
# load of the machine (other builds on a shared VM) falls on all alike;
# the figures are the medians of the rounds. The binaries take turns
# first, and every start --all begins after the kernel has finished what
# the last stop left it (the jails' network namespaces: no host end of a
# pair is left) and SETTLE (default 1) seconds more; its stop --all
# follows right after it (a pause there makes the small stop pay for the
# machine's idle spell: session 18, 50 jails 25 -> 29 ms). Knobs: SIZES
# (default "50 500"), MODES (default "plain vnet"), ROUNDS (default 3),
# SETTLE.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare, as tests/run.sh does), in a private tmpfs; the jails are
# stopped, the bridge removed and brig's cgroups of those run directories
# removed at the end.
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
SIZES=${SIZES:-50 500}
MODES=${MODES:-plain vnet}
ROUNDS=${ROUNDS:-3}
[ $# -gt 0 ] || set -- "$PWD/$BUILD/brig"
for b in "$@"; do
	[ -x "$b" ] || { echo "bench: no brig at $b (make)" >&2; exit 1; }
done
bench_tmpfs
ip link set lo up 2>/dev/null || true

RUNDIRS=""
n=0
for b in "$@"; do
	n=$((n + 1))
	RUNDIRS="$RUNDIRS $T/run$n"
done
cleanup() {
	for rd in $RUNDIRS; do
		for b in "$@"; do
			BRIG_RUNDIR=$rd "$b" stop --all >/dev/null 2>&1 || true
		done
	done
	"$1" net down big >/dev/null 2>&1 || true
	# This shell is PID 1 of its own namespace: only what it started.
	if [ "$$" = 1 ]; then kill -KILL -1 2>/dev/null || true; fi
	sleep 0.2
	BRIG=$1 bench_groups_rm $RUNDIRS
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap 'cleanup "$@"' EXIT
mk_busybox_root "$T/root"
echo 'big { }' >"$BRIG_CONFDIR/networks.conf"
case " $MODES " in *" vnet "*) "$1" net up big >/dev/null ;; esac
echo "(load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs; $ROUNDS rounds, medians)"

python3 - "$T" "$ROUNDS" "$SIZES" "$MODES" $RUNDIRS -- "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
T, rounds, sizes, modes = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split()], sys.argv[4].split()
rest = sys.argv[5:]
sep = rest.index("--")
rundirs, bins = rest[:sep], rest[sep + 1:]
conf = os.environ["BRIG_CONFDIR"] + "/jail.conf"
extra = {"plain": "", "vnet": " vnet; vnet.bridge = big;"}
fig = {}                                  # (bin, mode, size, verb) -> [(wall, cpu, load)]

def write_conf(mode, n):
    with open(conf, "w") as f:
        for i in range(1, n + 1):
            f.write('j%d { path = "%s/root"; persist;%s }\n' % (i, T, extra[mode]))

def measure(b, rd, verb):
    env = dict(os.environ, BRIG_RUNDIR=rd)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([b, verb, "--all", "-q"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit("bench: %s %s --all failed:\n%s" % (b, verb, p.stdout[-2000:]))
    load = float(open("/proc/loadavg").read().split()[0])
    return (t1 - t0, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, load)

def settle():
    # What a stop leaves the kernel (the jails' network namespaces, with
    # the host ends of their pairs) is torn down after it returns, holding
    # the RTNL lock: the next measure would pay for it. Wait until the host
    # ends are gone (bounded), then SETTLE seconds more.
    # (/sys/class/net is the host's here: /sys was mounted outside this
    # sandbox's network namespace; ip asks this one.)
    for _ in range(600):
        if not subprocess.run(["ip", "-o", "link", "show", "type", "veth"],
                              stdout=subprocess.PIPE, text=True).stdout.strip():
            break
        time.sleep(0.05)
    time.sleep(settle_s)

settle_s = float(os.environ.get("SETTLE", "1"))
for r in range(rounds):
    for mode in modes:
        for size in sizes:
            write_conf(mode, size)
            # Each round in the other order: no binary always follows another.
            order = list(zip(bins, rundirs))
            for b, rd in (order if r % 2 == 0 else order[::-1]):
                settle()
                os.makedirs(rd, exist_ok=True)
                s = measure(b, rd, "start")
                running = sum(1 for e in os.listdir(rd) if e.startswith("j"))
                if running != size:
                    sys.exit("bench: %d of %d jails run" % (running, size))
                p = measure(b, rd, "stop")
                fig.setdefault((b, mode, size, "start"), []).append(s)
                fig.setdefault((b, mode, size, "stop"), []).append(p)

def med(v, k):
    return statistics.median(x[k] for x in v)

for b in bins:
    print("== %s" % b)
    for mode in modes:
        for size in sizes:
            line = "%-5s %4d jails:" % (mode, size)
            for verb in ("start", "stop"):
                v = fig[(b, mode, size, verb)]
                line += "  %s --all wall %7.3f s cpu %7.3f s (load %.1f-%.1f)" % (
                    verb, med(v, 0), med(v, 1), min(x[2] for x in v), max(x[2] for x in v))
            print(line)
        if len(sizes) >= 2:
            a, z = sizes[0], sizes[-1]
            out = []
            for verb in ("start", "stop"):
                for k, what in ((0, "wall"), (1, "cpu")):
                    out.append("%s %s %.1f" % (verb, what, med(fig[(b, mode, z, verb)], k) /
                                                  max(med(fig[(b, mode, a, verb)], k), 0.0005)))
            print("%-5s %d/%d ratios: %s   (target <= %.0f)" % (mode, z, a, "   ".join(out), 1.1 * z / a))
PY
