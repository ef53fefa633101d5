# Sourced by the benches (after `set -eu`): the sandbox each runs in.
#
# bench_sandbox "$@": re-run the bench inside throwaway network, mount and
# PID namespaces (as tests/run.sh does), then work from the top of the tree.
# bench_tmpfs: a private tmpfs at $T, brig's run, conf, store and log
# directories under it, and the test helpers (tests/integration/lib).
# median COMMAND...: hyperfine's median of $RUNS runs, in ms (hyperfine's
# options, --prepare..., passed through).
# jails N EXTRA: jail.conf with N persist jails j1..jN on the root
# $T/root, each with the parameters EXTRA.
bench_sandbox() {
	if [ "${BRIG_BENCH_INNER:-}" != 1 ]; then
		# $T made and removed on the host's side: the sandbox's tmpfs
		# on it goes with the sandbox, the directory would stay.
		T=$(mktemp -d /tmp/brig-bench.XXXXXX)
		rc=0
		env BRIG_BENCH_INNER=1 T="$T" unshare --net --mount --pid --fork --mount-proc \
			--propagation private sh "$0" "$@" || rc=$?
		rmdir "$T" 2>/dev/null || true
		exit $rc
	fi
	cd "$(dirname "$0")/.."
}

bench_tmpfs() {
	. tests/integration/lib/common.sh
	T=${T:-$(mktemp -d /tmp/brig-bench.XXXXXX)}
	mount -t tmpfs -o mode=0755 brig-bench "$T"
	export T BRIG_RUNDIR="$T/run" BRIG_CONFDIR="$T/etc" BRIG_STOREDIR="$T/store" BRIG_LOGDIR="$T/log"
	mkdir -p "$BRIG_RUNDIR" "$BRIG_CONFDIR" "$BRIG_STOREDIR"
}

# bench_groups_rm RUNDIR...: remove brig's cgroup group of each run
# directory, and what a failed run left below it (brig keeps its group
# when the last jail stops: sys/cgroup.h). $BRIG names the group.
bench_groups_rm() {
	for rd; do
		g=$(BRIG_RUNDIR=$rd "$BRIG" _cgroup-group) || continue
		for d in /sys/fs/cgroup/*/"$g"; do
			[ -d "$d" ] || continue
			find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
			[ ! -d "$d" ] || echo "bench: could not remove cgroup $d" >&2
		done
	done
}

median() {
	hyperfine -N -w 3 -r "$RUNS" --export-json "$T/h.json" "$@" >"$T/h.log" 2>&1 ||
		{ cat "$T/h.log" >&2; return 1; }
	python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$T/h.json"
}

jails() {
	: >"$BRIG_CONFDIR/jail.conf"
	i=1
	while [ $i -le "$1" ]; do
		printf 'j%d { path = "%s"; persist; %s }\n' $i "$T/root" "$2" >>"$BRIG_CONFDIR/jail.conf"
		i=$((i + 1))
	done
}
