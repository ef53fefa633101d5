#!/bin/sh
# Thin jail creation time does not depend on the template's size: create
# thin jails from a 30 MB and a 300 MB template (each should take well
# under 20 ms), and a thick (copied) jail from each beside them.
#
#   sh bench/store_create.sh         (root; BUILD=build by default)
#   BENCH_DIR=/var/tmp sh bench/...   where the store goes (default: /var/tmp)
#
# Runs in a mount namespace of its own: the thin jails' overlay mounts
# never reach the host, and everything is removed at the end.
set -eu
if [ -z "${BRIG_BENCH_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "store_create: run as root" >&2; exit 1; }
	BRIG_BENCH_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi
cd "$(dirname "$0")/.."
BRIG=$PWD/${BUILD:-build}/brig
[ -x "$BRIG" ] || { echo "store_create: build $BRIG first (make)" >&2; exit 1; }
W=$(mktemp -d "${BENCH_DIR:-/var/tmp}/brig-bench.XXXXXX")
export BRIG_STOREDIR="$W/store" BRIG_CONFDIR="$W/etc"
cleanup() {
	for m in $(findmnt -rn -o TARGET | grep "^$W/" | sort -r); do umount -l "$m"; done
	rm -rf "$W"
}
trap cleanup EXIT
RUNS=${RUNS:-10}

# mk_tree DIR MB: MB of random data in 100 kB files, 100 to a directory.
mk_tree() {
	python3 - "$1" "$2" <<'PY'
import os, sys
top, mb = sys.argv[1], int(sys.argv[2])
for i in range(mb * 10):
    d = os.path.join(top, "usr", "d%03d" % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%04d" % i), "wb") as f:
        f.write(os.urandom(100 * 1024))
PY
}

# bench TEMPLATE RUNS: time RUNS thin creates, one thick create, and brig
# --version (the cost of starting brig at all), each a whole process, timed
# from Python (a shell's date(1) costs more than what is measured).
bench() {
	python3 - "$BRIG" "$1" "$2" <<'PY'
import subprocess, sys, time
brig, tmpl, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def timed(args):
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1000
start = sorted(timed([brig, "--version"]) for _ in range(runs))
thin = sorted(timed([brig, "create", "%s-thin%d" % (tmpl, i), "-t", tmpl]) for i in range(runs))
subprocess.run(["sync"])
t0 = time.perf_counter()
subprocess.run([brig, "create", tmpl + "-thick", "-t", tmpl, "--thick"], check=True, stdout=subprocess.DEVNULL)
subprocess.run(["sync"])
thick = (time.perf_counter() - t0) * 1000
print("%-8s %9.2f ms %9.2f ms %9.2f ms %9.2f ms" % (
    tmpl, thin[0], thin[len(thin) // 2], start[len(start) // 2], thick))
PY
}

printf 'store: %s (%s); %s runs each\n' "$W/store" "$(df -T "$W" | awk 'NR == 2 { print $2 }')" "$RUNS"
printf '%-8s %12s %12s %12s %12s\n' template "thin min" "thin median" "brig start" "thick"
for mb in 30 300; do
	mk_tree "$W/src$mb" $mb
	"$BRIG" template create "t$mb" --from "$W/src$mb" >/dev/null
	rm -rf "$W/src$mb"
	bench "t$mb" "$RUNS"
	for i in $(seq 0 $((RUNS - 1))); do "$BRIG" destroy "t$mb-thin$i" >/dev/null; done
	"$BRIG" destroy "t$mb-thick" >/dev/null
done
echo "thin: a whole brig create process (start, overlay mount, jail.conf.d file); brig start:"
echo "the median of brig --version, the part of it that is starting a process at all;"
echo "thick: a full copy (reflinks where the filesystem has them), then sync."
