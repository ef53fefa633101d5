#!/bin/sh
# Jail lifecycle benchmarks. Prints figures, asserts nothing:
#   1. start and stop latency (median) of a persist busybox jail (and of
#      the same jail with userns), against
#      `runc run -d` / `runc delete -f` of the same root in the same run,
#      and against a floor: bench/start_floor.c, the namespaces, pivot_root
#      and exec of a tiny PID 1 with nothing else (what no implementation
#      of a start can go below on this machine);
#   2. brig exec against nsenter, and the start of a jail with exec.start;
#   3. memory brig leaves running per jail (PSS of every init and reaper) with 100 jails;
#   4. `brig ls` with 500 jails running.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare), in a private tmpfs; jails and runc containers are removed.
# Targets (issue 3): start < 5 ms and >= 3x faster than runc, PSS < 256 KiB
# per jail, ls < 20 ms; issue 14: start <= 1.5x the floor, also after an
# idle gap. LXC (lxc-start -d / lxc-stop -k, a config on the same root)
# and bwrap (a whole run of /bin/true) are measured in the same run when
# installed.
#   BASE=/path/to/another/brig: its start, stop and idle-gap start too,
#   with the ratios. brig, the floor (and BASE) take turns, 5 runs of each
#   at a time, so that the ratios compare figures of the same moments.
#   ONLY=start: the first section only.
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
BRIG=$PWD/$BUILD/brig
RUNS=${RUNS:-30}
[ -x "$BRIG" ] || { echo "bench: build $BRIG first (make)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (make deps)" >&2; exit 1; }
bench_tmpfs
ip link set lo up 2>/dev/null || true
RUNC_ID=brig-bench-$$
cleanup() {
	"$BRIG" stop --all >/dev/null 2>&1 || true
	runc --root "$T/runc" delete -f "$RUNC_ID" >/dev/null 2>&1 || true
	lxc-stop -P "$T/lxc" -n b -k >/dev/null 2>&1 || true
	[ -z "${BASE:-}" ] || BRIG_RUNDIR="$T/run-base" "$BASE" stop --all >/dev/null 2>&1 || true
	bench_groups_rm "$BRIG_RUNDIR" "$T/run-base"
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT
mk_busybox_root "$T/root"

echo "== start/stop of a persist busybox jail (median of $RUNS)"
printf 'j { path = "%s"; persist; }\n' "$T/root" >"$BRIG_CONFDIR/jail.conf"
# block WHO BIN RUNDIR ROUND N: N starts back to back, N starts 0.3 s after
# a stop (issue 14: the first cgroup migration after a quiet spell waited
# for an RCU grace period) and N stops of BIN, hyperfine's times kept in
# $T/h-WHO-ROUND-{start,idle,stop}.json. floor_block ROUND N: the same
# starts of the floor (bench/start_floor.c, below), as $T/h-f-ROUND-*.json.
# brig's, the floor's and BASE's (another brig binary, same jail, a run
# directory and so cgroups of its own) blocks of 5 take turns (RUNS / 5
# rounds), so that a change of the machine's load falls on all alike (the
# floor measured apart, after the peers, moved by 25% between runs); the
# figures pool the rounds.
block() {
	for what in start idle stop; do
		case $what in
		start) prep="$2 stop j" cmd="$2 start j" ;;
		idle) prep="sh -c '$2 stop j; sleep 0.3'" cmd="$2 start j" ;;
		stop) prep="$2 start j" cmd="$2 stop j" ;;
		esac
		BRIG_RUNDIR=$3 hyperfine -N -w 2 -r "$5" --export-json "$T/h-$1-$4-$what.json" \
			--prepare "$prep" "$cmd" >"$T/h.log" 2>&1 || { cat "$T/h.log" >&2; return 1; }
	done
	BRIG_RUNDIR=$3 "$2" stop j >/dev/null
}
# pooled WHO WHAT: the median of every round's times in ms, and the mean
# CPU (user + system) in ms.
pooled() {
	python3 -c 'import glob, json, statistics, sys
r = [json.load(open(f))["results"][0] for f in sorted(glob.glob(sys.argv[1]))]
t = [x for a in r for x in a["times"]]
print("%.2f %.2f" % (statistics.median(t) * 1000, statistics.mean(a["user"] + a["system"] for a in r) * 1000))' \
		"$T/h-$1-*-$2.json"
}
# The floor: the kernel work of a start without brig (bench/start_floor.c
# says what it leaves out); it leaves its "jail" running, killed by pid.
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -Wall -Werror -static -s -o "$T/start_floor" bench/start_floor.c
kill_floor="sh -c 'p=\$(cat $T/floor.pid 2>/dev/null) && kill -9 \$p; rm -f $T/floor.pid; true'"
idle_floor="sh -c 'p=\$(cat $T/floor.pid 2>/dev/null) && kill -9 \$p; rm -f $T/floor.pid; sleep 0.3'"
floor_block() {
	for what in start idle; do
		prep=$kill_floor
		[ $what = start ] || prep=$idle_floor
		hyperfine -N -w 2 -r "$2" --export-json "$T/h-f-$1-$what.json" --prepare "$prep" \
			"$T/start_floor $T/root $T/floor.pid" >"$T/h.log" 2>&1 || { cat "$T/h.log" >&2; return 1; }
	done
	sh -c "$kill_floor"
}
[ -z "${BASE:-}" ] || mkdir -p "$T/run-base"
r=0
while [ $r -lt $(((RUNS + 4) / 5)) ]; do
	r=$((r + 1))
	if [ $((r % 2)) = 1 ]; then
		block b "$BRIG" "$BRIG_RUNDIR" $r 5
		floor_block $r 5
		[ -z "${BASE:-}" ] || block x "$BASE" "$T/run-base" $r 5
	else
		[ -z "${BASE:-}" ] || block x "$BASE" "$T/run-base" $r 5
		floor_block $r 5
		block b "$BRIG" "$BRIG_RUNDIR" $r 5
	fi
done
if [ -n "${BASE:-}" ]; then
	set -- $(pooled x start); x_start=$1 x_start_cpu=$2
	set -- $(pooled x idle); x_idle=$1
	set -- $(pooled x stop); x_stop=$1 x_stop_cpu=$2
fi
set -- $(pooled f start); f_start=$1
set -- $(pooled f idle); f_idle=$1
set -- $(pooled b start); b_start=$1 b_start_cpu=$2
set -- $(pooled b idle); b_idle=$1
set -- $(pooled b stop); b_stop=$1 b_stop_cpu=$2
if [ "${ONLY:-}" != start ]; then
	# The same jail unprivileged (a user namespace, its root an idmapped copy).
	printf 'j { path = "%s"; persist; }\nju { path = "%s"; persist; userns.map = "1000000:65536"; }\n' \
		"$T/root" "$T/root" >"$BRIG_CONFDIR/jail.conf"
	u_start=$(median --prepare "$BRIG stop ju" "$BRIG start ju")
	u_stop=$(median --prepare "$BRIG start ju" "$BRIG stop ju")
	"$BRIG" stop ju >/dev/null
	echo "brig start, userns:    $u_start ms (without: $b_start ms)"
	echo "brig stop, userns:     $u_stop ms (without: $b_stop ms)"
fi

# runc: the same root, the same namespaces (runc's default spec: pid, net,
# ipc, uts, mount), a process that waits like a persist jail does.
mkdir -p "$T/bundle"
(cd "$T/bundle" && runc spec)
python3 - "$T/bundle/config.json" "$T/root" <<'PY'
import json, sys
p, root = sys.argv[1], sys.argv[2]
c = json.load(open(p))
c["root"] = {"path": root, "readonly": False}
c["process"]["terminal"] = False
c["process"]["args"] = ["sleep", "100000"]
json.dump(c, open(p, "w"))
PY
RUNC="runc --root $T/runc"
gone="$RUNC delete -f $RUNC_ID >/dev/null 2>&1 || true"
r_start=$(cd "$T/bundle" && median --prepare "sh -c '$gone'" "$RUNC run -d $RUNC_ID")
r_stop=$(cd "$T/bundle" && median --prepare "sh -c '$gone; $RUNC run -d $RUNC_ID'" "$RUNC delete -f $RUNC_ID")
$RUNC delete -f "$RUNC_ID" >/dev/null 2>&1 || true
# LXC: the same root, a container with namespaces of its own (pid, net
# with nothing but lo, ipc, uts, mount, cgroup), /proc, a read-only /sys,
# its autodev /dev, sleep as its init.
l_start=- l_stop=-
if command -v lxc-start >/dev/null; then
	mkdir -p "$T/lxc/b"
	cat >"$T/lxc/b/config" <<EOF
lxc.uts.name = b
lxc.rootfs.path = dir:$T/root
lxc.init.cmd = /bin/sleep 100000
lxc.net.0.type = empty
lxc.mount.auto = proc:mixed sys:ro
lxc.apparmor.profile = unconfined
lxc.log.level = ERROR
EOF
	LXC="-P $T/lxc -n b"
	lgone="lxc-stop $LXC -k >/dev/null 2>&1; true"
	l_start=$(median --prepare "sh -c '$lgone'" "lxc-start $LXC -d")
	l_stop=$(median --prepare "sh -c '$lgone; lxc-start $LXC -d'" "lxc-stop $LXC -k")
	sh -c "$lgone"
fi
# bwrap: a whole run of /bin/true in the same root, namespaces of its own
# (nothing stays running: its start and stop are one).
w_run=-
if command -v bwrap >/dev/null; then
	w_run=$(median "bwrap --bind $T/root / --proc /proc --dev /dev --unshare-all /bin/true")
fi
# An empty process, for scale.
t_true=$(median "$T/root/bin/true")
python3 - "$b_start" "$b_stop" "$b_idle" "$r_start" "$r_stop" "$l_start" "$l_stop" "$w_run" \
	"$f_start" "$t_true" "${x_start:--}" "${x_stop:--}" "${x_idle:--}" "$f_idle" \
	"$b_start_cpu" "$b_stop_cpu" "${x_start_cpu:--}" "${x_stop_cpu:--}" <<'PY'
import sys
v = [None if a == "-" else float(a) for a in sys.argv[1:]]
bs, bp, bi, rs, rp, ls, lp, wr, fs, tt, xs, xp, xi, fi, bsc, bpc, xsc, xpc = v
print("%-32s start %7.2f ms  stop %7.2f ms  start+stop %7.2f ms" % ("brig", bs, bp, bs + bp))
print("%-32s start %7.2f ms  stop %7.2f ms  (mean user+system)" % ("brig CPU", bsc, bpc))
print("%-32s start %7.2f ms  (0.3 s after a stop; %+.2f ms over back to back)" % ("brig after an idle gap", bi, bi - bs))
if xs is not None:
    print("%-32s start %7.2f ms  stop %7.2f ms  idle-gap start %7.2f ms" % ("BASE", xs, xp, xi))
    print("%-32s start %7.2f ms  stop %7.2f ms" % ("BASE CPU", xsc, xpc))
    print("%-32s start %.2f  stop %.2f  idle-gap start %.2f;  CPU: start %.2f  stop %.2f" %
          ("brig / BASE", bs / xs, bp / xp, bi / xi, bsc / xsc, bpc / xpc))
for name, s, p in (("runc run -d / delete -f", rs, rp), ("LXC lxc-start -d / lxc-stop -k", ls, lp)):
    if s is None:
        print("%-32s (not installed)" % name)
    else:
        print("%-32s start %7.2f ms  stop %7.2f ms  start+stop %7.2f ms;  / brig: start %.1fx  stop %.1fx  both %.1fx"
              % (name, s, p, s + p, s / bs, p / bp, (s + p) / (bs + bp)))
if wr is None:
    print("%-32s (not installed)" % "bwrap")
else:
    print("%-32s %7.2f ms for a whole run of /bin/true;  / brig start+stop %.2fx" % ("bwrap", wr, wr / (bs + bp)))
print("floor (bench/start_floor.c: namespaces + pivot_root + exec, nothing else) %.2f ms, after an idle gap %.2f ms;"
      " brig start / floor %.2fx (target <= 1.5x), after an idle gap %.2fx;"
      " an empty process (busybox true) %.2f ms" % (fs, fi, bs / fs, bi / fi, tt))
PY
[ "${ONLY:-}" = start ] && exit 0

echo "== exec into a running jail, and a jail with exec.start (median of $RUNS)"
# brig exec against nsenter(1) entering the same namespaces: nsenter does
# no cgroups, user lookup, capabilities or seccomp, so it is a floor, as
# above. The second jail is the usual kind: no persist (so a reaper),
# /dev, and exec.start leaving a daemon behind.
cat >"$BRIG_CONFDIR/jail.conf" <<EOF
j { path = "$T/root"; persist; }
d { path = "$T/root"; mount.devfs; exec.start = "/bin/sh -c 'sleep 100000 </dev/null >/dev/null 2>&1 &'"; }
EOF
"$BRIG" start -q j
init=$("$BRIG" ls --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["init_pid"])')
b_exec=$(median "$BRIG exec j /bin/true")
n_exec=$(median "nsenter -t $init -m -u -i -n -p -C -r -w /bin/true")
"$BRIG" stop -q j
d_start=$(median --prepare "sh -c '$BRIG stop -q d; true'" "$BRIG start -q d")
"$BRIG" stop -q d
python3 - "$b_exec" "$n_exec" "$d_start" <<'PY'
import sys
be, ne, ds = map(float, sys.argv[1:])
print("brig exec j /bin/true %6.2f ms   nsenter (floor) %6.2f ms   brig / nsenter %.1fx" % (be, ne, be / ne))
print("start of a jail with exec.start, mount.devfs, no persist: %.2f ms" % ds)
PY

echo "== memory left running per jail, 100 jails"
jails 100 ""
"$BRIG" start -q --all
"$BRIG" ls --json | python3 -c '
import glob, json, sys
def pss(pid):
    for line in open("/proc/%d/smaps_rollup" % pid):
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
inits = [j["init_pid"] for j in json.load(sys.stdin)]
reapers = [int(c.split("/")[2]) for c in glob.glob("/proc/[0-9]*/comm")
           if open(c).read().strip() == "brig-reaper"]
a, b = sum(map(pss, inits)), sum(map(pss, reapers))
print("%d jails: inits %d KiB PSS in all, %d reapers %d KiB; %.1f KiB per jail"
      % (len(inits), a, len(reapers), b, (a + b) / len(inits)))
'
"$BRIG" stop -q --all

echo "== brig ls with 500 jails (median of $RUNS)"
# The host's network stack: 500 network namespaces would only load the
# kernel, and ls never looks at them.
jails 500 "ip4 = inherit;"
t0=$(date +%s%N)
"$BRIG" start -q --all
t1=$(date +%s%N)
echo "started 500 jails in $(((t1 - t0) / 1000000)) ms (parallel, $(nproc) CPUs)"
echo "brig ls: $(median "$BRIG ls") ms   brig ls --json: $(median "$BRIG ls --json") ms"
t0=$(date +%s%N)
"$BRIG" stop -q --all
t1=$(date +%s%N)
echo "stopped 500 jails in $(((t1 - t0) / 1000000)) ms"
