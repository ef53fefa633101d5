# Sourced by the benches (after `set -eu`): the sandbox each runs in.
#
# bench_sandbox "$@": re-run the bench inside throwaway network, mount and
# PID namespaces (as tests/run.sh does), then work from the top of the tree.
# bench_tmpfs: a private tmpfs at $T, brig's run, conf, store and log
# directories under it, and the test helpers (tests/integration/lib).
bench_sandbox() {
	if [ "${BRIG_BENCH_INNER:-}" != 1 ]; then
		exec env BRIG_BENCH_INNER=1 unshare --net --mount --pid --fork --mount-proc \
			--propagation private sh "$0" "$@"
	fi
	cd "$(dirname "$0")/.."
}

bench_tmpfs() {
	. tests/integration/lib/common.sh
	T=$(mktemp -d /tmp/brig-bench.XXXXXX)
	mount -t tmpfs -o mode=0755 brig-bench "$T"
	export T BRIG_RUNDIR="$T/run" BRIG_CONFDIR="$T/etc" BRIG_STOREDIR="$T/store" BRIG_LOGDIR="$T/log"
	mkdir -p "$BRIG_RUNDIR" "$BRIG_CONFDIR" "$BRIG_STOREDIR"
}
