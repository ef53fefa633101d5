# brig stats --json on a cgroup v2 tree alone: the v1 hierarchies are
# unmounted in this test's mount namespace (never the host's), so brig
# finds only the v2 tree. Each figure whose v2 file the tree has is
# compared with the file read around it; one whose controller the tree
# lacks (on a hybrid host the v1 hierarchies keep memory, pids, io) must
# be null, and the test says which.
. tests/integration/lib/common.sh
command -v python3 >/dev/null || skip "python3 missing"
v2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
[ -n "$v2" ] || skip "no cgroup v2 hierarchy"
for m in $(grep ' - cgroup ' /proc/self/mountinfo | awk '{ print $5 }'); do
	umount "$m"
done
. tests/integration/lib/jail.sh

group=$("$BRIG" _cgroup-group)
field() {
	printf '%s' "$1" | python3 -c 'import json,sys; v=json.load(sys.stdin)[0][sys.argv[1]]; print("null" if v is None else v)' "$2"
}
between() {
	[ "$3" != null ] || fail "$1: null"
	[ "$2" -le "$3" ] && [ "$3" -le "$4" ] || fail "$1: $3 not within [$2, $4]"
}

conf "w { path = \"$ROOT\"; persist; mount.devfs; }"
expect_rc 0 "$BRIG" start w
remember_cgroups w
cg=$v2/$group/w
[ -d "$cg" ] || fail "no v2 group $cg"
expect_rc 0 "$BRIG" exec w sh -c 'for i in 1 2 3; do sleep 1000 </dev/null >/dev/null 2>&1 & done'
expect_rc 0 "$BRIG" exec w sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i + 1)); done'

cpu() { awk '$1 == "usage_usec" { print $2 }' "$cg/cpu.stat"; }
a_cpu=$(cpu); a_procs=$(wc -l <"$cg/cgroup.procs")
a_mem=$(cat "$cg/memory.current" 2>/dev/null || echo -); a_pids=$(cat "$cg/pids.current" 2>/dev/null || echo -)
expect_rc 0 "$BRIG" stats --json w
J=$OUT
echo "brig stats --json w: $J" >&2
b_cpu=$(cpu); b_procs=$(wc -l <"$cg/cgroup.procs")
b_mem=$(cat "$cg/memory.current" 2>/dev/null || echo -); b_pids=$(cat "$cg/pids.current" 2>/dev/null || echo -)
between cpu_usec "$a_cpu" "$(field "$J" cpu_usec)" "$b_cpu"
[ "$(field "$J" cpu_usec)" -gt 0 ] || fail "cpu_usec: the busy loop used none"
between procs "$a_procs" "$(field "$J" procs)" "$b_procs"
if [ "$a_mem" = - ]; then
	echo "the v2 tree has no memory controller (a hybrid host's v1 holds it): memory_current must be null" >&2
	expect_eq memory_current null "$(field "$J" memory_current)"
else
	lo=$a_mem hi=$b_mem
	[ "$lo" -le "$hi" ] || { lo=$b_mem; hi=$a_mem; }
	between memory_current "$lo" "$(field "$J" memory_current)" "$hi"
fi
if [ "$a_pids" = - ]; then
	echo "the v2 tree has no pids controller: pids_current must be null" >&2
	expect_eq pids_current null "$(field "$J" pids_current)"
else
	between pids_current "$a_pids" "$(field "$J" pids_current)" "$b_pids"
fi
expect_rc 0 "$BRIG" stop w
assert_clean
