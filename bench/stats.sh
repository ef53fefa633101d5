#!/bin/sh
# brig stats benchmark (issue 16). Prints figures, asserts nothing:
#   `brig stats --json` of 500 running jails in one call, against a shell
#   loop reading the same cgroup files (read builtins only: no process per
#   file), and the ratio; then the same with 100 jails that each have a
#   network stack of their own (brig also reads their interfaces' counters
#   over netlink inside each namespace; the loop reads /proc/PID/net/dev).
# Target (issue 16): 500 jails' stats in one call well under 100 ms.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare), in a private tmpfs; the jails are stopped at the end.
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
BUILD=${BUILD:-build}
BRIG=$PWD/$BUILD/brig
RUNS=${RUNS:-20}
[ -x "$BRIG" ] || { echo "bench: build $BRIG first (make)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (make deps)" >&2; exit 1; }
bench_tmpfs
ip link set lo up 2>/dev/null || true
cleanup() {
	"$BRIG" stop -q --all >/dev/null 2>&1 || true
	bench_groups_rm "$BRIG_RUNDIR"
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT
mk_busybox_root "$T/root"

# cpu_ms COMMAND...: the CPU time (user + system) of one run of COMMAND,
# averaged over $RUNS runs.
cpu_ms() {
	python3 -c '
import resource, subprocess, sys
n = int(sys.argv[1])
for _ in range(n):
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.1f" % ((r.ru_utime + r.ru_stime) * 1000 / n))' "$RUNS" "$@"
}

# The shell loop: for every jail of the run directory, each file brig
# stats reads, with sh's read builtin (the hierarchies found once, as
# brig does). Written out as a script for hyperfine.
group=$("$BRIG" _cgroup-group)
{
	echo 'set -u'
	echo "group=$group"
	echo 'for m in $(awk '"'"'$9 == "cgroup" || $9 == "cgroup2" { print $5 }'"'"' /proc/self/mountinfo); do'
	echo '	[ -d "$m/$group" ] && dirs="${dirs:-} $m/$group"'
	echo 'done'
	echo 'for st in "$BRIG_RUNDIR"/*/state; do'
	echo '	j=${st%/state}; j=${j##*/}'
	echo '	for d in $dirs; do'
	echo '		for f in cpu.stat cgroup.procs memory.current memory.max memory.peak memory.swap.current \'
	echo '			pids.current pids.max io.stat cpuacct.usage memory.usage_in_bytes \'
	echo '			memory.limit_in_bytes memory.max_usage_in_bytes memory.memsw.usage_in_bytes \'
	echo '			blkio.throttle.io_service_bytes_recursive blkio.throttle.io_serviced_recursive; do'
	echo '			[ -e "$d/$j/$f" ] || continue'
	echo '			while read -r line; do :; done <"$d/$j/$f"'
	echo '		done'
	echo '	done'
	echo '	pid='
	echo '	while read -r line; do case $line in *\"pid\":*) pid=${line##*: }; pid=${pid%,}; break ;; esac; done <"$st"'
	echo '	while read -r line; do :; done <"/proc/$pid/stat"'
	echo '	[ -z "${NET:-}" ] || while read -r line; do :; done <"/proc/$pid/net/dev"'
	echo 'done'
} >"$T/loop.sh"

run() {
	n=$1
	t0=$(date +%s%N)
	"$BRIG" start -q --all
	t1=$(date +%s%N)
	echo "started $n jails in $(((t1 - t0) / 1000000)) ms"
	[ "$("$BRIG" stats --json | grep -c '"name"')" = "$n" ] || { echo "bench: brig stats does not list $n jails" >&2; exit 1; }
	b=$(median "$BRIG stats --json")
	l=$(median "sh $T/loop.sh")
	echo "brig stats --json, $n jails: $b ms   shell loop over the same files: $l ms   ratio loop/brig: $(python3 -c "print('%.1f' % ($l / $b))")"
	echo "brig stats --json, $n jails: CPU time (user + system) per call: $(cpu_ms "$BRIG" stats --json) ms   brig ls: $(cpu_ms "$BRIG" ls) ms (what the machine's load does not change)"
	echo "brig stats (text), $n jails: $(median "$BRIG stats") ms   brig ls -v: $(median "$BRIG ls -v") ms   brig ls: $(median "$BRIG ls") ms"
	"$BRIG" stop -q --all
}

echo "== 500 jails on the host's network stack (median of $RUNS)"
jails 500 "ip4 = inherit;"
run 500
echo "== 100 jails with a network stack each (median of $RUNS)"
jails 100 ""
export NET=1
run 100
