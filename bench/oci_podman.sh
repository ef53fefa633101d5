#!/bin/sh
# `podman run --rm IMAGE true` with brig's OCI front-end (brig-oci, a link
# to the build's brig) against runc and crun, in the same run: medians of
# RUNS runs each (hyperfine), the runtimes measured in turn, ROUNDS times,
# and the ratios to runc. Prints figures, asserts nothing.
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
echo "== podman run --rm IMAGE true (median of $RUNS, $ROUNDS rounds; load $(cut -d' ' -f1-3 /proc/loadavg))"
: >"$T/figures"
r=1
while [ $r -le "$ROUNDS" ]; do
	for p in $paths; do
		printf '%s %s\n' "$(basename "$p")" "$(median "$P --runtime $p run --rm $U $IMG true")" >>"$T/figures"
	done
	r=$((r + 1))
done
python3 - "$T/figures" <<'PY'
import statistics, sys
f = {}
for line in open(sys.argv[1]):
    n, v = line.split()
    f.setdefault(n, []).append(float(v))
med = {n: statistics.median(v) for n, v in f.items()}
for n, v in f.items():
    ratio = "  / runc %.2fx" % (med[n] / med["runc"]) if "runc" in med and n != "runc" else ""
    print("%-10s %7.2f ms  (rounds: %s)%s" % (n, med[n], " ".join("%.2f" % x for x in v), ratio))
PY
