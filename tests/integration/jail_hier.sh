# Hierarchical jails (FreeBSD's a.b, jail(8) "HIERARCHICAL JAILS"): a
# child starts only inside a running parent that allows it (children.max),
# with its root inside the parent's; the parent sees its processes and its
# limits bound it; jls shows parent and children.cur; stopping the parent
# stops its children first and leaves nothing.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

for fe in jail jls jexec; do ln -s "$BRIG" "$T/$fe"; done
PATH="$T:$PATH"

mk_busybox_root "$ROOT/j/b"
mk_busybox_root "$ROOT/j/c"
mk_busybox_root "$T/outside"

conf "a { path = \"$ROOT\"; persist; children.max = 1; rctl = \"maxproc:deny=12\"; }
a.b { path = \"$ROOT/j/b\"; persist; allow.chflags; }
a.c { path = \"$ROOT/j/c\"; persist; }
a.out { path = \"$T/outside\"; persist; }
sh { path = \"$ROOT\"; persist; children.max = 2; ip4.addr = \"dum0|192.0.2.10/24\", \"dum0|192.0.2.11/24\"; }
sh.in { path = \"$ROOT/j/b\"; persist; ip4.addr = \"dum0|192.0.2.11/24\"; }
sh.out { path = \"$ROOT/j/c\"; persist; ip4.addr = \"dum0|192.0.2.12/24\"; }
v { path = \"$ROOT\"; persist; vnet; children.max = 2; }
v.k { path = \"$ROOT/j/b\"; persist; ip4 = inherit; }
v.addr { path = \"$ROOT/j/c\"; persist; ip4.addr = \"dum0|192.0.2.13/24\"; }
solo { path = \"$T/outside\"; persist; allow.chflags; }
solo.kid { path = \"$T/outside\"; persist; }
x.y { path = \"$ROOT\"; persist; }"

# A parent that neither runs nor is defined: refused, nothing made.
expect_rc 1 "$BRIG" start x.y
expect_eq "no parent" 'brig: x.y: start: parent jail "x" is not running' "$ERR"
[ ! -e "$BRIG_RUNDIR/x.y" ] || fail "a refused child left its run directory"

if [ "${BRIG_TEST_USERNS:-}" = 1 ]; then
	# A user namespace's PID namespace cannot hold one made outside it.
	expect_rc 1 "$BRIG" start a.b
	expect_grep 'a.b: start: its parent jail "a" runs in a user namespace (userns)' "$ERR"
	expect_rc 0 "$BRIG" stop a
	assert_clean
	exit 0
fi

# The parent is an implied dependency: started first, as jail(8) does.
expect_rc 0 jail -c a.b
expect_eq "jail -c a.b" "a: created
a.b: created" "$OUT"
remember_cgroups a
remember_cgroups a.b

# children.max: a allows one child; solo (children.max = 0) none.
expect_rc 1 "$BRIG" start a.c
expect_eq "children.max" 'brig: a.c: start: its parent jail "a" has children.max = 1 and 1 child running: no room for "a.c"' "$ERR"
expect_rc 0 "$BRIG" start solo
remember_cgroups solo
expect_rc 1 "$BRIG" start solo.kid
expect_grep 'solo.kid: start: its parent jail "solo" has children.max = 0 and 0 children running' "$ERR"
# The child's root lies inside the parent's.
expect_rc 0 jail -m name=a children.max=2
expect_rc 1 "$BRIG" start a.out
expect_eq "path" "brig: a.out: start: path \"$T/outside\": not inside the root of its parent jail \"a\" (\"$ROOT\")" "$ERR"

# The child's root is looked up below the parent's following no symlink,
# once, when it is mounted: the parent jail owns that tree, and what it
# swaps in after the check (here a directory above the root turned into a
# symlink to a tree outside, by a prestart standing in for the parent
# jail) cannot lead the child's root out of it.
mk_busybox_root "$ROOT/j/s/root"
mk_busybox_root "$T/evil/root"
: >"$T/evil/root/EVIL"
cat >"$T/swap.conf" <<EOF
a.swap { path = "$ROOT/j/s/root"; persist;
	exec.prestart = "mv $ROOT/j/s $ROOT/j/s.real && ln -s $T/evil $ROOT/j/s"; }
EOF
expect_rc 1 jail -f "$T/swap.conf" -c a.swap
expect_grep "a.swap: start: path $ROOT/j/s/root, inside its parent jail's root $ROOT: /j/s/root: a symlink" "$ERR"
[ ! -e "$BRIG_RUNDIR/a.swap" ] || fail "a refused child left its run directory"
rm "$ROOT/j/s"
mv "$ROOT/j/s.real" "$ROOT/j/s"
# A child in a user namespace of its own (its parent in the host's):
# its idmapped root is taken below the parent's the same way.
printf 'root:1000000:6553600\n' >"$T/subuid"
cp "$T/subuid" "$T/subgid"
export BRIG_SUBUID="$T/subuid" BRIG_SUBGID="$T/subgid"
cat >"$T/swap.conf" <<EOF
a.u { path = "$ROOT/j/s/root"; persist; userns; }
EOF
expect_rc 0 jail -f "$T/swap.conf" -c a.u
expect_rc 0 "$BRIG" exec a.u cat /proc/self/uid_map
[ "$(echo $OUT)" != "0 0 4294967295" ] || fail "a.u is not in a user namespace of its own: $OUT"
expect_rc 0 "$BRIG" exec a.u test ! -e /EVIL
expect_rc 0 jail -f "$T/swap.conf" -r a.u

# jls: the parent's JID, the running children.
aj=$(jls -j a jid)
expect_rc 0 jls -j a.b parent name
expect_eq "jls parent" "$aj a.b" "$OUT"
expect_rc 0 jls -j a children.cur children.max
expect_eq "jls children" "1 2" "$OUT"
expect_rc 0 jls -n -j a.b
expect_grep "parent=$aj " "$OUT"

# Its processes are the parent's to see (its PID namespace is inside
# a's), not the other way round.
"$BRIG" exec a.b sleep 4242 >/dev/null 2>&1 &
wait_for "a.b's sleep" sh -c "\"$BRIG\" exec a.b ps | grep -q 'sleep 4242'"
expect_rc 0 jexec a ps
expect_grep "sleep 4242" "$OUT"
expect_rc 0 "$BRIG" exec solo ps
printf '%s\n' "$OUT" | grep -q "sleep 4242" && fail "another jail sees a.b's processes"

# Its cgroups are below a's; a's maxproc bounds a and a.b together.
for d in $(jstate "$BRIG_RUNDIR/a.b/state" obj cgroup); do
	expect_eq "a.b's cgroup" "$(dirname "$d")" "$(jstate "$BRIG_RUNDIR/a/state" obj cgroup | grep -xF "$(dirname "$d")")"
done
cgfile a pids.current >/dev/null || skip "no pids controller"
expect_rc 0 "$BRIG" exec a.b sh -c '(for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do sleep 4343 & done) 2>/dev/null
	n=0; for p in /proc/[0-9]*; do read c <$p/comm; [ "$c" = sleep ] && n=$((n + 1)); done; echo $n'
[ "$OUT" -ge 1 ] && [ "$OUT" -lt 12 ] || fail "a.b ran $OUT sleeps under its parent's maxproc of 12"
[ "$(cat "$(cgfile a pids.current)")" -le 12 ] || fail "a's maxproc (12) exceeded: $(cat "$(cgfile a pids.current)")"

# allow.*: no more than the parent's (CAP_LINUX_IMMUTABLE, bit 9).
capb() { awk '/^CapBnd/ { print $2 }' "/proc/$(jstate "$BRIG_RUNDIR/$1/state" init)/status"; }
expect_eq "solo's allow.chflags" 1 $(( 0x$(capb solo) >> 9 & 1 ))
expect_eq "a.b's allow.chflags, a without" 0 $(( 0x$(capb a.b) >> 9 & 1 ))

# Stopping the parent stops its children first; nothing is left.
expect_rc 0 jail -r a
expect_eq "jail -r a" "a.b: removed
a: removed" "$OUT"
wait

# The parent's init killed: its children die with it (their PID namespace
# is inside its), and the next brig command cleans up after both.
expect_rc 0 "$BRIG" start a.b
acg=$(jstate "$BRIG_RUNDIR/a/state" obj cgroup)
ainit=$(jstate "$BRIG_RUNDIR/a/state" init)
kill -9 "$ainit"
# Gone once a zombie (or reaped): its PID namespace is empty by then.
dead() { ! grep -q '^[^)]*) [^Z]' "/proc/$ainit/stat" 2>/dev/null; }
wait_for "a's init to die" dead
expect_rc 0 "$BRIG" ls
[ ! -e "$BRIG_RUNDIR/a" ] && [ ! -e "$BRIG_RUNDIR/a.b" ] || fail "one brig ls left: $(ls "$BRIG_RUNDIR")"
for d in $acg; do
	[ ! -e "$d" ] || fail "a's cgroup $d left after its init was killed"
done

# A shared-IP child's addresses are its parent's.
ip link add dum0 type veth peer name dum1
ip link set dum0 up
expect_rc 0 "$BRIG" start sh.in
remember_cgroups sh
remember_cgroups sh.in
expect_rc 1 "$BRIG" start sh.out
expect_eq "addresses" 'brig: sh.out: start: ip4.addr: 192.0.2.12 is not an address of its parent jail "sh" (a child'"'"'s addresses are its parent'"'"'s)' "$ERR"
# A child of a vnet jail with ip4 = inherit shares its parent's stack;
# one with addresses of its own is refused.
expect_rc 0 "$BRIG" start v.k
remember_cgroups v
remember_cgroups v.k
nsof() { readlink "/proc/$(jstate "$BRIG_RUNDIR/$1/state" init)/ns/net"; }
expect_eq "v.k's network" "$(nsof v)" "$(nsof v.k)"
expect_rc 0 "$BRIG" exec v.k cat /proc/net/dev
expect_rc 1 "$BRIG" start v.addr
expect_grep 'v.addr: start: ip4.addr, ip6.addr: a shared-IP child of the vnet jail "v" is not supported' "$ERR"

expect_rc 0 "$BRIG" start a.b
expect_rc 0 "$BRIG" stop --all
expect_eq "stop --all" "a.b: removed" "$(printf '%s\n' "$OUT" | grep -m1 '^a')"
expect_eq "stop --all" "sh.in: removed" "$(printf '%s\n' "$OUT" | grep -m1 '^sh')"
expect_eq "stop --all" "v.k: removed" "$(printf '%s\n' "$OUT" | grep -m1 '^v')"
expect_eq "aliases left" "" "$(ip -o addr show dev dum0 | grep 'inet ')"

# start --all: parents first, children in parallel, yet children.max
# holds (a child's check is made under its parent's lock).
expect_rc 1 "$BRIG" start --all -p 8
expect_rc 0 jls -j a children.cur
expect_eq "a's children after start --all" 1 "$OUT"
expect_rc 0 jls -j v children.cur
expect_eq "v's children after start --all" 1 "$OUT"
# jail -r '*': every child removed before its parent.
expect_rc 0 jail -r '*'
line() { printf '%s\n' "$OUT" | grep -n "^$1: removed\$" | cut -d: -f1; }
for p in a sh v; do
	c=$(printf '%s\n' "$OUT" | grep -m1 "^$p\.[a-z]*: removed" | cut -d: -f1)
	[ -n "$c" ] && [ "$(line "$c")" -lt "$(line "$p")" ] || fail "jail -r '*': $p before its child: $OUT"
done
assert_clean
