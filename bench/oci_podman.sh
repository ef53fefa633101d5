#!/bin/sh
# `podman run --rm IMAGE true` with brig's OCI front-end (brig-oci, a link
# to the build's brig) against runc and crun, in the same run: medians of
# RUNS runs each (hyperfine), the runtimes measured in turn, ROUNDS times,
# and the ratios to runc; then the runtimes alone on one bundle: `create`
# and `start` of a container running /bin/true (what the runtime does,
# without podman and conmon). Prints figures, asserts nothing.
#   The whole of podman is in the figure (podman, conmon, the runtime, the
#   image's overlay mount); `--network none`, so no network setup.
#   A runtime that refuses this host (crun refuses hybrid cgroup hosts) or
#   is missing is reported as such; the others are still measured.
#   OCI_RUNTIME=PATH measures another runtime in brig-oci's place.
# Everything happens inside throwaway namespaces (it re-runs itself under
# unshare), podman's storage in a private tmpfs, its cgroups under a parent
# of the bench's, removed at the end.
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
# A reaper above everything the bench runs: a container's process whose
# runtime has exited is reparented to it and reaped when it ends, as
# conmon or containerd's shim do (this shell, PID 1 of the sandbox, reaps
# only when it waits; a runtime waiting for its container's process to
# vanish would wait for ever).
if [ "${OCI_BENCH_REAPER:-}" != 1 ]; then
	OCI_BENCH_REAPER=1 exec python3 -c '
import ctypes, os, sys
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
child = os.fork()
if child == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    pid, status = os.wait()
    if pid == child:
        sys.exit(os.waitstatus_to_exitcode(status))' sh "$0" "$@"
fi
BUILD=${BUILD:-build}
BRIG=$PWD/$BUILD/brig
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-3}
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (make deps)" >&2; exit 1; }
command -v podman >/dev/null || { echo "bench: podman is needed (make deps)" >&2; exit 1; }
bench_tmpfs
. tests/integration/lib/oci.sh
ip link set lo up 2>/dev/null || true
mkdir -p "$T/bin"
CGP=oci-bench.$$
oci_podman_env "$CGP"
U="$U --network none"
cleanup() {
	$P rm -a -f -t 0 >/dev/null 2>&1 || true
	oci_cgroups_gone "$CGP"
	bench_groups_rm "$BRIG_RUNDIR"
	umount -l "$T" 2>/dev/null || true
	rmdir "$T" 2>/dev/null || true
}
trap cleanup EXIT
oci_rootfs "$T/rootfs"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
$P import -q "$T/rootfs.tar" localhost/oci-bb:1 >/dev/null
IMG=localhost/oci-bb:1

if [ -n "${OCI_RUNTIME:-}" ]; then
	rut=$(command -v "$OCI_RUNTIME" || echo "$OCI_RUNTIME")
else
	[ -x "$BRIG" ] || echo "bench: no $BRIG (make): brig-oci is not measured" >&2
	ln -sf "$BRIG" "$T/bin/brig-oci"
	rut=$T/bin/brig-oci
fi
# Which runtimes run here: a first `podman run` each; a refusal is printed.
names='' paths=''
for r in "$rut" "$(command -v runc || echo runc)" "$(command -v crun || echo crun)"; do
	n=$(basename "$r")
	if [ ! -x "$r" ]; then
		echo "$n: not installed"
		continue
	fi
	if $P --runtime "$r" run --rm $U $IMG true >"$T/probe.out" 2>&1; then
		names="$names $n" paths="$paths $r"
	else
		echo "$n: refused: $(grep -v '^$' "$T/probe.out" | tail -n 1 | cut -c1-200)"
	fi
done
echo "== podman run --rm IMAGE true, then the runtime alone: NAME(create), NAME(start) of /bin/true (median of $RUNS, $ROUNDS rounds; load $(cut -d' ' -f1-3 /proc/loadavg))"
: >"$T/figures"
r=1
while [ $r -le "$ROUNDS" ]; do
	for p in $paths; do
		printf '%s %s\n' "$(basename "$p")" "$(median "$P --runtime $p run --rm $U $IMG true")" >>"$T/figures"
	done
	r=$((r + 1))
done
# The runtimes alone: runc's default spec, the busybox root, /bin/true.
mkdir -p "$T/bundle"
(cd "$T/bundle" && runc spec)
python3 - "$T/bundle/config.json" "$T/rootfs" "$$" <<'PY'
import json, sys
p, root, me = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(p))
c["root"] = {"path": root, "readonly": True}
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["linux"]["cgroupsPath"] = "/oci-bench-rt.%s/c" % me
json.dump(c, open(p, "w"))
PY
alone=''
for p in $paths; do
	n=$(basename "$p")
	R="$p --root $T/state-$n"
	if $R create --bundle "$T/bundle" c >"$T/probe.out" 2>&1 && $R start c >>"$T/probe.out" 2>&1 &&
		$R delete -f c >>"$T/probe.out" 2>&1; then
		alone="$alone $p"
	else
		echo "$n(alone): refused: $(grep -v '^$' "$T/probe.out" | tail -n 1 | cut -c1-200)"
		$R delete -f c >/dev/null 2>&1 || true
	fi
done
r=1
while [ $r -le "$ROUNDS" ]; do
	for p in $alone; do
		n=$(basename "$p")
		R="$p --root $T/state-$n"
		# (delete -f of a running container polls: runc and brig-oci
		# alike wait up to 100 ms for it to die; left out of the figures)
		gone="sh -c '$R delete -f c >/dev/null 2>&1; true'"
		printf '%s %s\n' "$n(create)" "$(median --prepare "$gone" "$R create --bundle $T/bundle c")" >>"$T/figures"
		printf '%s %s\n' "$n(start)" "$(median --prepare "sh -c '$R delete -f c >/dev/null 2>&1; $R create --bundle $T/bundle c'" "$R start c")" >>"$T/figures"
	done
	r=$((r + 1))
done
oci_cgroups_gone 'oci-bench-rt.*'
python3 - "$T/figures" <<'PY'
import statistics, sys
f = {}
for line in open(sys.argv[1]):
    n, v = line.split()
    f.setdefault(n, []).append(float(v))
med = {n: statistics.median(v) for n, v in f.items()}
for n, v in f.items():
    ref = "runc" + n[n.index("("):] if "(" in n else "runc"
    ratio = "  / runc %.2fx" % (med[n] / med[ref]) if ref in med and n != ref else ""
    print("%-16s %7.2f ms  (rounds: %s)%s" % (n, med[n], " ".join("%.2f" % x for x in v), ratio))
PY
