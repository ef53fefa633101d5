# containerd (Debian's) with brig as the runc binary of its runc shim
# (`ctr run --runc-binary`, what a Kubernetes node's RuntimeClass names):
# an image imported with `ctr image import` (an OCI archive of a busybox
# root, made offline), run with its output and exit status, nothing left.
# containerd's root, state and sockets live in the test's tmpfs.
. tests/integration/lib/common.sh
# brig-oci's and the engines' state under /run stays in the test's mount
# namespace (never the host's /run).
mount -t tmpfs oci-run /run
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib
. tests/integration/lib/jail.sh

for c in containerd ctr containerd-shim-runc-v2 podman; do
	command -v $c >/dev/null || skip "$c is not installed (scripts/deps.sh installs it)"
done
mkdir -p "$T/bin" "$T/cd" "$T/ptmp"
# The runtime the shim calls: brig oci with the test's brig directories.
printf '#!/bin/sh\nexec env BRIG_RUNDIR=%s BRIG_CONFDIR=%s BRIG_LOGDIR=%s BRIG_STOREDIR=%s %s oci "$@"\n' \
	"$BRIG_RUNDIR" "$BRIG_CONFDIR" "$BRIG_LOGDIR" "$BRIG_STOREDIR" "$BRIG" >"$T/bin/brig-oci"
chmod +x "$T/bin/brig-oci"
cat >"$T/cd/config.toml" <<EOT
version = 2
root = "$T/cd/root"
state = "$T/cd/state"
[grpc]
  address = "$T/cd/sock"
[ttrpc]
  address = "$T/cd/ttrpc.sock"
EOT
containerd --config "$T/cd/config.toml" >"$T/cd/log" 2>&1 &
cdpid=$!
cleanup_ctr() {
	set +e
	kill "$cdpid" 2>/dev/null
	wait "$cdpid" 2>/dev/null
	jail_safety_net
}
trap cleanup_ctr EXIT
tries=0
until [ -S "$T/cd/sock" ]; do
	tries=$((tries + 1))
	[ $tries -lt 300 ] || fail "containerd did not start: $(tail -5 "$T/cd/log")"
	sleep 0.1
done
C="ctr -a $T/cd/sock"
# The image, offline: podman makes an OCI archive of the busybox root.
P="podman --root $T/pstore --runroot $T/prun --tmpdir $T/ptmp"
tar -C "$ROOT" -c . | $P import - localhost/bb:1 >"$T/import" 2>&1 || fail "podman import: $(cat "$T/import")"
$P save --format oci-archive -o "$T/bb.tar" localhost/bb:1 >"$T/save" 2>&1 || fail "podman save: $(cat "$T/save")"
$P rmi -a -f >/dev/null 2>&1
umount "$T/pstore/overlay" 2>/dev/null || true
expect_rc 0 $C image import --base-name localhost/bb "$T/bb.tar"

R="--runc-binary $T/bin/brig-oci --runc-root $T/ctr-oci"
expect_rc 0 $C run --rm $R localhost/bb:1 c1 sh -c 'echo hi-from-ctr; hostname'
expect_eq "ctr run" "hi-from-ctr
c1" "$OUT"
expect_rc 5 $C run --rm $R localhost/bb:1 c2 sh -c 'exit 5'
expect_rc 0 $C containers ls -q
expect_eq "containers left" "" "$OUT"
[ -z "$(ls "$T/ctr-oci/default" 2>/dev/null)" ] || fail "brig-oci records left: $(ls "$T/ctr-oci/default")"

kill "$cdpid"
wait "$cdpid" 2>/dev/null || true
trap - EXIT
assert_clean
