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

now_ns() { date +%s%N; }

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

# ms START END: milliseconds between two nanosecond stamps, 0.01 precision.
ms() { echo "$1 $2" | awk '{ printf "%.2f", ($2 - $1) / 1e6 }'; }

printf 'store: %s (%s)\n' "$W/store" "$(df -T "$W" | awk 'NR == 2 { print $2 }')"
printf '%-10s %-8s %12s %12s %12s\n' template size "thin min" "thin median" thick
for mb in 30 300; do
	mk_tree "$W/src$mb" $mb
	"$BRIG" template create "t$mb" --from "$W/src$mb" >/dev/null
	rm -rf "$W/src$mb"
	times=""
	for i in $(seq 1 "$RUNS"); do
		t0=$(now_ns)
		"$BRIG" create "thin$mb-$i" -t "t$mb" >/dev/null
		t1=$(now_ns)
		times="$times $(ms "$t0" "$t1")"
	done
	sorted=$(echo "$times" | tr ' ' '\n' | grep . | sort -n)
	min=$(echo "$sorted" | head -1)
	median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
	sync
	t0=$(now_ns)
	"$BRIG" create "thick$mb" -t "t$mb" --thick >/dev/null
	sync
	t1=$(now_ns)
	printf '%-10s %-8s %9s ms %9s ms %9s ms\n' "t$mb" "${mb} MB" "$min" "$median" "$(ms "$t0" "$t1")"
	for i in $(seq 1 "$RUNS"); do "$BRIG" destroy "thin$mb-$i" >/dev/null; done
	"$BRIG" destroy "thick$mb" >/dev/null
done
echo "thin: brig create (a whole process: exec, overlay mount, jail.conf.d file); thick: a full copy (reflinks where the filesystem has them), then sync"
