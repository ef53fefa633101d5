# podman (Debian's) with brig as its OCI runtime (--runtime: `brig oci`,
# the brig-oci front-end), from an image imported offline (podman import
# of a busybox root): run --rm, run -d + exec + logs + pause + stop + rm,
# run -it on a pty (the console socket), --memory/--pids-limit onto the
# jail's cgroups, podman's own network (a namespace brig-oci joins:
# vnet.netns), -p 8080:80, a pod of two sharing one network namespace.
# Podman's storage and run state live in the test's tmpfs.
. tests/integration/lib/common.sh
# brig-oci's and the engines' state under /run stays in the test's mount
# namespace (never the host's /run).
mount -t tmpfs oci-run /run
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib
. tests/integration/lib/jail.sh

command -v podman >/dev/null || skip "podman is not installed (scripts/deps.sh installs it)"
command -v conmon >/dev/null || skip "conmon is not installed"
# The runtime podman calls: brig oci, with the test's brig directories
# (podman does not pass its caller's environment on to the runtime).
mkdir -p "$T/bin" "$T/ptmp"
printf '#!/bin/sh\nexec env BRIG_RUNDIR=%s BRIG_CONFDIR=%s BRIG_LOGDIR=%s BRIG_STOREDIR=%s %s oci "$@"\n' \
	"$BRIG_RUNDIR" "$BRIG_CONFDIR" "$BRIG_LOGDIR" "$BRIG_STOREDIR" "$BRIG" >"$T/bin/brig-oci"
chmod +x "$T/bin/brig-oci"
P="podman --root $T/pstore --runroot $T/prun --tmpdir $T/ptmp --cgroup-manager cgroupfs \
--runtime $T/bin/brig-oci --events-backend file"
U="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
# podman's cgroupfs manager puts conmon under libpod_parent in every
# hierarchy: removed at the end unless the host had it before.
lp0=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null | wc -l)
libpod_gone() {
	[ "$lp0" = 0 ] || return 0
	for d in /sys/fs/cgroup/*/libpod_parent; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	return 0
}
cleanup_podman() {
	set +e
	$P rm -a -f -t 0 >/dev/null 2>&1
	$P rmi -a -f >/dev/null 2>&1
	jail_safety_net
	libpod_gone
}
trap cleanup_podman EXIT

# The image, offline: a tarball of the busybox root (and a page for httpd).
mkdir -p "$ROOT/www"
echo hello-port >"$ROOT/www/index.html"
tar -C "$ROOT" -c . | $P import - localhost/bb:1 >"$T/import" 2>&1 || fail "podman import: $(cat "$T/import")"

# run --rm: the output, the status, nothing left.
expect_rc 0 $P run --rm --network none $U localhost/bb:1 echo hi
expect_eq "run --rm" hi "$OUT"
expect_rc 3 $P run --rm --network none $U localhost/bb:1 sh -c 'exit 3'
expect_rc 0 "$BRIG" ls --json
expect_eq "jails left after run --rm" "[]" "$(printf '%s' "$OUT" | tr -d ' \n')"

# podman's network: the namespace netavark made, joined.
expect_rc 0 $P run --rm $U localhost/bb:1 ip -4 addr show eth0
expect_grep "inet 10\\." "$OUT"

# -p: podman's port forwarding (netavark's, in that namespace) to the
# jail's httpd.
expect_rc 0 $P run -d --name w $U -p 8080:80 localhost/bb:1 httpd -f -p 80 -h /www
remember_cgroups "$OUT"
tries=0
until wget -qO- -T 5 http://127.0.0.1:8080/ >"$T/page" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 50 ] || fail "no answer on the published port"
	sleep 0.1
done
expect_eq "published port" hello-port "$(cat "$T/page")"
expect_rc 0 $P rm -f -t 1 w

# run -d, with limits; the container is a brig jail (brig ls, brig exec).
expect_rc 0 $P run -d --network none $U --memory 64m --pids-limit 30 --name c1 localhost/bb:1 \
	sh -c 'echo out1; trap "exit 0" TERM; while :; do sleep 0.1; done'
id=$OUT
remember_cgroups "$id"
expect_rc 0 "$BRIG" ls
expect_grep "$id .*running" "$OUT"
expect_eq "pids.max" 30 "$(cat "$(cgfile "$id" pids.max)")"
mem=$(cat "$(cgfile "$id" memory.max 2>/dev/null || cgfile "$id" memory.limit_in_bytes)")
expect_eq "memory limit" 67108864 "$mem"
expect_rc 0 $P exec c1 sh -c 'echo in-exec; hostname'
expect_eq "exec" "in-exec
${id%"${id#????????????}"}" "$OUT"
expect_rc 0 "$BRIG" exec "$id" echo brig-exec
expect_eq "brig exec" brig-exec "$OUT"
expect_rc 0 $P logs c1
expect_eq "logs" out1 "$OUT"
expect_rc 0 $P pause c1
expect_rc 0 $P inspect --format '{{.State.Status}}' c1
expect_eq "paused" paused "$OUT"
expect_rc 0 $P unpause c1
expect_rc 0 $P stop -t 5 c1
expect_rc 0 $P inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
expect_eq "stopped" "exited 0" "$OUT"
expect_rc 0 $P rm c1
expect_rc 0 "$BRIG" ls --json
expect_eq "jails left after rm" "[]" "$(printf '%s' "$OUT" | tr -d ' \n')"

# A pod: two containers in one network, IPC and UTS namespace (the
# infra container's, which podman names by the pid brig-oci gives it).
expect_rc 0 $P pod create --name p1
expect_rc 0 $P run -d --pod p1 --name a1 $U localhost/bb:1 \
	sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
a1=$OUT
remember_cgroups "$a1"
probe='ip -4 -o addr show eth0 | awk "{print \$4}"; hostname; readlink /proc/self/ns/ipc'
expect_rc 0 $P run --rm --pod p1 $U localhost/bb:1 sh -c "$probe"
b=$OUT
expect_rc 0 $P exec a1 sh -c "$probe"
expect_eq "one network, host name and IPC in the pod" "$OUT" "$b"
expect_grep "^10\." "$b"
expect_rc 0 $P pod rm -f -t 2 p1

# run -it: a pty of the jail's own, through podman's console socket.
expect_rc 0 python3 tests/integration/lib/ptyrun.py run -- $P run --rm -it --network none $U localhost/bb:1 \
	sh -c 'tty; echo ok'
expect_grep "^/dev/pts/0" "$OUT"
expect_grep "^ok" "$OUT"

$P rmi -a -f >/dev/null 2>&1
libpod_gone
trap - EXIT
# netavark's /run/netns (a mount on itself, in the test's own mount
# namespace), podman's overlay directory (the same).
umount /run/netns 2>/dev/null || true
umount "$T/pstore/overlay" 2>/dev/null || true
assert_clean
