# The v1 cpuset hierarchy (issue 14): a jail without `cpuset` that may
# have no children gets no group of its own there, its processes (init,
# an entered one) join brig's group; with `cpuset`, with children.max,
# or inside a parent that has one, a group of its own, as before. A
# nested jail that needs one under a parent that has none is refused,
# naming the parent. Stops remove the jails' groups and leave brig's.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

mnt=$(grep ' - cgroup ' /proc/self/mountinfo | awk '{ print $5, $NF }' |
	awk '$2 ~ /(^|,)cpuset(,|$)/ { print $1; exit }')
[ -n "$mnt" ] || skip "no v1 cpuset hierarchy on this host"
opts=$(grep " $mnt " /proc/self/mountinfo | awk '{ print $NF }')
case ",$opts," in
*,cpu,* | *,memory,* | *,pids,* | *,devices,* | *,cpuacct,* | *,blkio,*)
	skip "cpuset is mounted with other controllers here ($opts)" ;;
esac
group=$("$BRIG" _cgroup-group)
ln -s "$BRIG" "$T/jail"
for k in b q r; do mk_busybox_root "$ROOT/kids/$k"; done
cpus=$(cat "$mnt/cpuset.cpus")
first=${cpus%%[-,]*}

# cpuset_of PID: the PID's group in the cpuset hierarchy.
cpuset_of() {
	awk -F: '$2 ~ /(^|,)cpuset(,|$)/ { print $3 }' "/proc/$1/cgroup"
}

conf "p { path = \"$ROOT\"; persist; }
c { path = \"$ROOT\"; persist; cpuset = \"$first\"; }
a { path = \"$ROOT\"; persist; children.max = 1; }
a.b { path = \"$ROOT/kids/b\"; persist; }
z { path = \"$ROOT\"; persist; }
z.q { path = \"$ROOT/kids/q\"; persist; cpuset = \"$first\"; }
z.r { path = \"$ROOT/kids/r\"; persist; }"

# ---- p: no cpuset group of its own; its processes in brig's
expect_rc 0 "$BRIG" start p
remember_cgroups p
[ ! -e "$mnt/$group/p" ] || fail "p has a cpuset group of its own: $mnt/$group/p"
expect_eq "p's recorded cpuset group (joined)" "$mnt/$group" \
	"$(jstate "$BRIG_RUNDIR/p/state" obj cgroup-join)"
for d in $(jstate "$BRIG_RUNDIR/p/state" obj cgroup); do
	case $d in "$mnt"/*) fail "p recorded a group of its own in the cpuset hierarchy: $d" ;; esac
done
expect_eq "p's init's cpuset group" "/$group" "$(cpuset_of "$(jstate "$BRIG_RUNDIR/p/state" init)")"
# An entered process (the jail's own /proc/self/cgroup says "/": its
# cgroup namespace starts there).
"$BRIG" exec p sleep 1000 >/dev/null 2>&1 &
wait_for "p's entered sleep" pgrep -x sleep
expect_eq "an entered process's cpuset group" "/$group" "$(cpuset_of "$(pgrep -x sleep)")"
# Its other groups are its own, as before.
expect_grep "/p\$" "$(jstate "$BRIG_RUNDIR/p/state" obj cgroup)"

# ---- c (cpuset), a (children.max) and a.b (inside a): groups of their own
expect_rc 0 "$BRIG" start c a
for j in c a; do remember_cgroups "$j"; done
expect_eq "c's init's cpuset group" "/$group/c" "$(cpuset_of "$(jstate "$BRIG_RUNDIR/c/state" init)")"
expect_eq "c's CPUs" "$first" "$(cat "$mnt/$group/c/cpuset.cpus")"
expect_eq "a's init's cpuset group" "/$group/a" "$(cpuset_of "$(jstate "$BRIG_RUNDIR/a/state" init)")"

# A user namespace's PID namespace holds no child jail (jail_hier.sh).
if [ "${BRIG_TEST_USERNS:-}" != 1 ]; then
	expect_rc 0 "$BRIG" start a.b
	remember_cgroups a.b
	expect_eq "a.b's init's cpuset group" "/$group/a/b" "$(cpuset_of "$(jstate "$BRIG_RUNDIR/a.b/state" init)")"

	# z: started without a group of its own, then allowed children live
	expect_rc 0 "$BRIG" start z
	remember_cgroups z
	expect_rc 0 "$T/jail" -m name=z children.max=2
	expect_rc 1 "$BRIG" start z.q
	expect_grep "z.q: start: .*cpuset: the parent jail z has no group of its own in the v1 cpuset hierarchy .*give it children.max in its configuration and restart it (jail -rc z)" "$ERR"
	[ ! -e "$BRIG_RUNDIR/z.q" ] || fail "the refused z.q left $BRIG_RUNDIR/z.q"
	[ ! -e "$mnt/$group/z" ] || fail "the refused z.q made $mnt/$group/z"
	expect_rc 0 "$BRIG" start z.r
	remember_cgroups z.r
	expect_eq "z.r's init's cpuset group" "/$group" "$(cpuset_of "$(jstate "$BRIG_RUNDIR/z.r/state" init)")"
fi

# ---- stops: the jails' groups go, brig's stays
expect_rc 0 "$BRIG" stop --all
wait
[ -d "$mnt/$group" ] || fail "brig's cpuset group $mnt/$group removed"
left=$(find "$mnt/$group" -mindepth 1 -type d)
[ -z "$left" ] || fail "cpuset groups left: $left"
assert_clean
