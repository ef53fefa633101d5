# Sourced by the jail_* tests (after common.sh): a busybox root, a config
# writer, leak checks, and a safety net for what is not namespaced.

# Cgroups live outside the test's namespaces: whatever happens, kill every
# recorded init and remove the cgroups recorded in the state files.
jail_safety_net() {
	set +e
	for st in "$BRIG_RUNDIR"/*/state; do
		[ -f "$st" ] || continue
		pid=$(jstate "$st" init)
		[ -n "$pid" ] && [ "$pid" -gt 0 ] && kill -9 "$pid" 2>/dev/null
	done
	sleep 0.2
	for st in "$BRIG_RUNDIR"/*/state; do
		[ -f "$st" ] || continue
		jstate "$st" obj cgroup | while read -r d; do
			rmdir "$d" 2>/dev/null
			rmdir "$(dirname "$d")" 2>/dev/null
		done
	done
	for d in $(cat "$T/cgroups" 2>/dev/null); do
		rmdir "$d" 2>/dev/null
		rmdir "$(dirname "$d")" 2>/dev/null
	done
	return 0
}
trap jail_safety_net EXIT

ROOT=$T/root
mk_busybox_root "$ROOT"
MOUNTS0=$(wc -l </proc/self/mountinfo)

# conf TEXT: the whole jail.conf.
conf() {
	printf '%s\n' "$1" >"$BRIG_CONFDIR/jail.conf"
}

# remember_cgroups NAME: note the jail's cgroups (for leak checks later).
remember_cgroups() {
	jstate "$BRIG_RUNDIR/$1/state" obj cgroup >>"$T/cgroups"
}

# cgfile NAME FILE: the path of FILE (e.g. memory.max, or v1's
# memory.limit_in_bytes) in the first of the jail's cgroups that has it;
# status 1 if none has.
cgfile() {
	for d in $(jstate "$BRIG_RUNDIR/$1/state" obj cgroup); do
		[ -e "$d/$2" ] && { printf '%s\n' "$d/$2"; return 0; }
	done
	return 1
}

# count_comm COMM: the processes of that name in this test's PID namespace.
count_comm() {
	cat /proc/[0-9]*/comm 2>/dev/null | grep -cxF -- "$1" || true
}
# The number of jail inits running.
count_inits() {
	count_comm memfd:brig-init
}

# wait_reaped NAME: the jail has ended (or its init was killed); without
# any brig command, its reaper must remove its state and its cgroups (the
# jail's name in each hierarchy brig used, as remember_cgroups saw them
# for any jail), within 6 s.
wait_reaped() {
	cg=$(sed "s|/[^/]*\$|/$1|" "$T/cgroups" | sort -u)
	[ -n "$cg" ] || fail "wait_reaped: no cgroup remembered yet"
	tries=0
	while :; do
		left=""
		[ ! -e "$BRIG_RUNDIR/$1" ] || left=" $BRIG_RUNDIR/$1"
		for d in $cg; do
			[ ! -e "$d" ] || left="$left $d"
		done
		[ -n "$left" ] || break
		tries=$((tries + 1))
		[ $tries -lt 30 ] || fail "$1 ended, its reaper left:$left"
		sleep 0.2
	done
}

# wait_no_reapers: every reaper has done its work and exited (6 s).
# (Callers may be in a loop of their own: these use $tries, not $n.)
wait_no_reapers() {
	tries=0
	while [ "$(count_comm brig-reaper)" != 0 ]; do
		tries=$((tries + 1))
		[ $tries -lt 30 ] || fail "$(count_comm brig-reaper) reaper(s) left running"
		sleep 0.2
	done
}

# mounts_but_roots: the mounts of this namespace, but the thin roots of
# the store's jails (they stay mounted while the jail exists, running or
# not: store/root.c) and brig's bpffs (mounted by the first shared-IP
# start, where its programs stay pinned: sys/sockaddr.c).
mounts_but_roots() {
	grep -v " $BRIG_RUNDIR/.bpf " /proc/self/mountinfo |
		grep -vc " $BRIG_STOREDIR/jails/[^/ ]*/root " || true
}

# locks_released: no jail's lock held. A brig killed half way through a
# vnet start may leave the helper making the jail's network on its way
# out (killed with it, core/vnet_early.c), the lock inherited from it
# still held for a moment; a look (brig ls) leaves a held jail alone.
lock_free() { [ ! -e "$1" ] || flock -n "$1" true; }
locks_released() {
	for l in "$BRIG_RUNDIR"/*/lock; do
		[ -e "$l" ] || continue
		wait_for "$l still held" lock_free "$l"
	done
}

# assert_clean: no jail left running, no state, no mount (but the thin
# roots of existing jails), no cgroup.
assert_clean() {
	locks_released
	expect_rc 0 "$BRIG" ls --json
	expect_eq "jails left" "[]" "$(printf '%s' "$OUT" | tr -d ' \n')"
	expect_eq "inits left" 0 "$(count_inits)"
	wait_no_reapers
	expect_eq "mounts" "$MOUNTS0" "$(mounts_but_roots)"
	for d in $(cat "$T/cgroups" 2>/dev/null); do
		[ ! -e "$d" ] || fail "cgroup $d left behind"
	done
	left=$(ls "$BRIG_RUNDIR")
	[ -z "$left" ] || fail "run directory not empty: $left"
}
