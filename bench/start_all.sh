#!/bin/sh
# `brig start --all` and `brig stop --all` of 50 and of 500 plain jails
# (path jails sharing one busybox root, persist, no network): wall time and
# CPU (user + sys of brig and every child it waited for: getrusage),
# and the 500/50 ratio of each. Linear work gives 10; the target (issue
# 14) is <= 11. Prints figures, asserts nothing.
#
#   sh bench/start_all.sh [BRIG...]
#
# Each BRIG (default: $BUILD/brig) is measured in the same run, one after
# the other, each with a run directory of its own (so its cgroups are its
# own): e.g. the binary of the branch point against the current one. SIZES
# (default "50 500") and ROUNDS (default 3: the best of ROUNDS, by wall)
# can be set.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare, as tests/run.sh does), in a private tmpfs; the jails are
# stopped and brig's cgroups of those run directories removed at the end.
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
SIZES=${SIZES:-50 500}
ROUNDS=${ROUNDS:-3}
[ $# -gt 0 ] || set -- "$PWD/$BUILD/brig"
for b in "$@"; do
	[ -x "$b" ] || { echo "bench: no brig at $b (make)" >&2; exit 1; }
done
bench_tmpfs
ip link set lo up 2>/dev/null || true

# brig's cgroup group of a run directory (core/core.c: FNV-1a).
group_of() {
	python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode():
    h = ((h ^ b) * 16777619) & 0xffffffff
print("brig.%08x" % h)' "$1"
}
RUNDIRS=""
cleanup() {
	for rd in $RUNDIRS; do
		for b in "$@"; do
			BRIG_RUNDIR=$rd "$b" stop --all >/dev/null 2>&1 || true
		done
	done
	# This shell is PID 1 of its own namespace: only what it started.
	if [ "$$" = 1 ]; then kill -KILL -1 2>/dev/null || true; fi
	sleep 0.2
	for rd in $RUNDIRS; do
		g=$(group_of "$rd")
		for d in /sys/fs/cgroup/*/"$g"; do
			[ -d "$d" ] || continue
			find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
			[ -d "$d" ] && echo "bench: could not remove cgroup $d" >&2
		done
	done
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap 'cleanup "$@"' EXIT
mk_busybox_root "$T/root"

# conf N: N persist jails on the shared root.
conf() {
	i=1
	: >"$BRIG_CONFDIR/jail.conf"
	while [ $i -le "$1" ]; do
		printf 'j%d { path = "%s"; persist; }\n' $i "$T/root" >>"$BRIG_CONFDIR/jail.conf"
		i=$((i + 1))
	done
}

# measure BRIG VERB: "wall cpu" in seconds of one `brig VERB --all`: the
# wall clock, and user + sys of brig and every process it waited for
# (getrusage(RUSAGE_CHILDREN), microseconds; /usr/bin/time rounds to 10 ms).
measure() {
	python3 - "$1" "$2" "$T/out" <<'PY' || { echo "bench: $1 $2 --all failed:" >&2; cat "$T/out" >&2; exit 1; }
import resource, subprocess, sys, time
brig, verb, out = sys.argv[1:]
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
with open(out, "w") as f:
	rc = subprocess.call([brig, verb, "--all", "-q"], stdout=f, stderr=f)
t1 = time.monotonic()
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print("%.4f %.4f" % (t1 - t0, cpu))
sys.exit(rc)
PY
}

# best A B: the smaller pair (by wall) of "wall cpu" lines A and B.
best() {
	if [ -z "$1" ]; then echo "$2"; return; fi
	echo "$1
$2" | sort -n | head -n 1
}

n=0
for b in "$@"; do
	n=$((n + 1))
	rd="$T/run$n"
	RUNDIRS="$RUNDIRS $rd"
	echo "== $b"
	res=""
	for size in $SIZES; do
		conf "$size"
		s_best="" p_best=""
		r=0
		while [ $r -lt "$ROUNDS" ]; do
			export BRIG_RUNDIR="$rd"
			s=$(measure "$b" start)
			running=$(ls "$rd" | grep -c '^j' || true)
			[ "$running" = "$size" ] || { echo "bench: $running of $size jails run" >&2; exit 1; }
			p=$(measure "$b" stop)
			s_best=$(best "$s_best" "$s")
			p_best=$(best "$p_best" "$p")
			r=$((r + 1))
		done
		printf '%4d jails: start --all wall %7.3f s cpu %7.3f s   stop --all wall %7.3f s cpu %7.3f s\n' \
			"$size" $s_best $p_best
		res="$res $size $s_best $p_best"
	done
	python3 - $res <<'PY'
import sys
v = sys.argv[1:]
rows = [v[i:i + 5] for i in range(0, len(v), 5)]
if len(rows) >= 2:
	a, b = rows[0], rows[-1]
	names = ["start wall", "start cpu", "stop wall", "stop cpu"]
	print("%s/%s ratios: " % (b[0], a[0]) + "   ".join(
		"%s %.1f" % (names[i], float(b[i + 1]) / max(float(a[i + 1]), 0.005)) for i in range(4)))
PY
done
