# A brig start racing a store operation on the same jail (destroy,
# rollback, export): the operation's "is it running" check and its work
# must be one, under the jail's lock, so that no start comes in between.
# Each round runs the start and the operation at once (in both launch
# orders, alternately), then looks: never a jail both destroyed and
# started, never a running jail whose root is gone (destroyed, or rolled
# back from under it), never an archive of a jail that was starting or
# running while it was exported as stopped (its exec.prestart marks its
# root, its exec.poststop unmarks it). In every tenth round the store is
# busy, as another store operation (a snapshot of another jail) keeps
# it: the operation then waits for the store after its check, where a
# start used to come in. RACE_N rounds of each operation
# (store_race_slow: 1000); every command under a timeout.
. tests/integration/lib/common.sh
. tests/integration/lib/checks.sh
N=${RACE_N:-20}
S=$BRIG_STOREDIR
R=$S/jails/web/root
MARK=.race-up

# run OUT CMD...: CMD in the background, bounded; its status in OUT.rc.
run() {
	out=$1
	shift
	(
		rc=0
		timeout -k 5 120 "$@" >"$out" 2>&1 || rc=$?
		echo $rc >"$out.rc"
	) &
}
# release_store: the store's lock (held as another store operation would
# hold it), once the start has ended, or waits for the jail's lock (held by
# the operation, which waits for the store).
release_store() {
	until [ -e "$T/start.rc" ] || grep -q 'web: waiting for another brig' "$T/start" 2>/dev/null; do
		sleep 0.02
	done
	release_lock
}
# race ROUND CMD...: brig start web and CMD at once; their statuses in
# $SRC and $ORC, their output in $T/start and $T/op.
race() {
	round=$1
	shift
	rm -f "$T/start.rc" "$T/op.rc" "$T/start" "$T/op"
	[ $((round % 10)) != 5 ] || hold_lock "$S/lock"
	if [ $((round % 2)) = 0 ]; then
		run "$T/start" "$BRIG" start web
		run "$T/op" "$@"
	else
		run "$T/op" "$@"
		run "$T/start" "$BRIG" start web
	fi
	[ $((round % 10)) != 5 ] || release_store
	wait
	SRC=$(cat "$T/start.rc") ORC=$(cat "$T/op.rc")
	echo "$2 start=$SRC op=$ORC" >>"$T/outcomes"
	[ "$SRC" != 124 ] || ko "round $round: brig start web timed out"
	[ "$ORC" != 124 ] || ko "round $round: $* timed out"
}
# running: web is running (brig ls).
running() {
	timeout -k 5 60 "$BRIG" ls >"$T/ls" 2>&1 || ko "brig ls: $(cat "$T/ls")"
	grep -q '^ *[0-9][0-9]* *web ' "$T/ls"
}
# root_intact ROUND: web runs on the root at its path: a file made there
# on the host is seen in the jail.
root_intact() {
	if [ ! -d "$R" ] || ! touch "$R/.probe" 2>/dev/null; then
		ko "round $1: web runs, but its root $R is gone"
		return
	fi
	timeout -k 5 60 "$BRIG" exec web test -e /.probe ||
		ko "round $1: web runs, but not on the root at its path (rolled back from under it?)"
	rm -f "$R/.probe"
}
mkjail() {
	expect_rc 0 timeout -k 5 60 "$BRIG" create web -t bb persist \
		"exec.prestart=touch $R/$MARK" "exec.poststop=rm -f $R/$MARK"
}
# settle: web stopped, unmarked (a start that failed half-way leaves the mark).
settle() {
	if running; then
		timeout -k 5 60 "$BRIG" stop web >"$T/stop" 2>&1 || ko "brig stop web: $(cat "$T/stop")"
	fi
	rm -f "$R/$MARK"
}
# refused OP: the operation said the jail runs.
refused() {
	grep -q "web: $1: the jail is running; stop it first" "$T/op"
}
# both ROUND: the statuses and what both said, for a failure.
both() {
	printf 'round %s: start exited %s: %s; the operation exited %s: %s' "$1" "$SRC" \
		"$(cat "$T/start")" "$ORC" "$(cat "$T/op")"
}
# next: the next round, unless one failed (RACE_ALL=1: all of them).
next() {
	[ $bad = 0 ] || [ -n "${RACE_ALL:-}" ] || i=$N
	i=$((i + 1))
}

expect_rc 0 "$BRIG" template create bb --from busybox

# destroy: destroyed (and the start fails), or refused because web runs
# (and it runs, on its root).
i=0
while [ $i -lt $N ]; do
	mkjail
	race $i "$BRIG" destroy web
	if [ "$ORC" = 0 ]; then
		[ "$SRC" != 0 ] || ko "web both started and destroyed: $(both $i)"
	elif ! refused destroy; then
		ko "destroy failed: $(both $i)"
	fi
	if running; then
		root_intact $i
		timeout -k 5 60 "$BRIG" stop web >"$T/stop" 2>&1 || ko "brig stop web: $(cat "$T/stop")"
	fi
	if [ -e "$S/jails/web" ] || [ -e "$BRIG_CONFDIR/jail.conf.d/web.conf" ]; then
		timeout -k 5 60 "$BRIG" destroy web >"$T/destroy" 2>&1 || ko "brig destroy web: $(cat "$T/destroy")"
	fi
	next
done

# rollback: rolled back, then started; or refused because web runs (and
# it runs, on its root).
mkjail
expect_rc 0 "$BRIG" snapshot web s1
i=0
while [ $i -lt $N ]; do
	race $i "$BRIG" rollback web s1
	[ "$SRC" = 0 ] || ko "start failed: $(both $i)"
	[ "$ORC" = 0 ] || refused rollback || ko "rollback failed: $(both $i)"
	running && root_intact $i
	settle
	next
done

# export: of the stopped jail, then started; or refused because web runs.
# Never of web starting or running.
i=0
while [ $i -lt $N ]; do
	rm -f "$T/web.tzst"
	race $i "$BRIG" export web "$T/web.tzst"
	[ "$SRC" = 0 ] || ko "start failed: $(both $i)"
	if [ "$ORC" = 0 ]; then
		zstd -dc "$T/web.tzst" | tar -t >"$T/members" 2>/dev/null || ko "round $i: the archive does not read"
		! grep -q "$MARK" "$T/members" ||
			ko "round $i: exported as stopped while web was starting or running: $(both $i)"
	else
		refused export || ko "export failed: $(both $i)"
	fi
	settle
	next
done

expect_rc 0 "$BRIG" destroy -f web
# How the rounds came out (start's and the operation's exit statuses).
sort "$T/outcomes" | uniq -c >&2
checks_done
