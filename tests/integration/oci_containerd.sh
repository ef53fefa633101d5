#!/bin/sh
# containerd (Debian's package) driving an OCI runtime through its runc
# shim (io.containerd.runc.v2), the path a Kubernetes node's RuntimeClass
# takes: runc first (the reference: proves the harness), then the runtime
# under test (brig-oci, or OCI_RUNTIME=PATH), each as `ctr run
# --runc-binary PATH`:
#   run --rm IMAGE echo; run -d + task exec + task ls + task kill + rm;
#   run -t on a pty; --memory-limit (the value in the container's cgroup).
# And doc/oci.md's snippets: containerd accepts its config.toml (the
# runtimes.brig entry and its BinaryName come back in `config dump`), and
# the binary the shim runs is the one named (a wrapper logging its argv).
# A private containerd (its own root, state, sockets, a private /run for
# the shims' sockets and fifos); the image an OCI archive made offline
# (umoci) and brought in with `ctr image import`. Its cgroups live under a
# parent of this test's, removed at the end.
. tests/integration/lib/common.sh
. tests/integration/lib/checks.sh
. tests/integration/lib/oci.sh
for c in containerd ctr containerd-shim-runc-v2 runc umoci; do
	command -v $c >/dev/null || skip "$c is not installed (scripts/deps.sh)"
done
oci_rut
mount -t tmpfs oci-run /run
CGP=oci-ctr.$$
CD=$T/cd
mkdir -p "$CD"
cat >"$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CD/sock"
[ttrpc]
  address = "$CD/sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CD/opt"
EOF
# Its PATH has $T/bin: the shim wrapper of doc/oci.md (below).
mkdir -p "$T/bin"
PATH="$T/bin:$PATH" containerd --config "$CD/config.toml" >"$CD/log" 2>&1 &
cdpid=$!
C="ctr --address $CD/sock -n oci-test"
cleanup() {
	for t in $($C task ls -q 2>/dev/null); do $C task kill -s KILL "$t" >/dev/null 2>&1 || true; done
	sleep 0.2
	for t in $($C task ls -q 2>/dev/null); do $C task rm -f "$t" >/dev/null 2>&1 || true; done
	for c in $($C container ls -q 2>/dev/null); do $C container rm "$c" >/dev/null 2>&1 || true; done
	kill "$cdpid" 2>/dev/null || true
	wait "$cdpid" 2>/dev/null || true
	oci_cgroups_gone "$CGP"
}
trap cleanup EXIT
i=0
until [ -S "$CD/sock" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { cat "$CD/log" >&2; fail "containerd did not come up"; }
	kill -0 "$cdpid" 2>/dev/null || { cat "$CD/log" >&2; fail "containerd exited"; }
	sleep 0.05
done

# The image: an OCI archive of the busybox root, made offline.
oci_rootfs "$T/rootfs"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
umoci init --layout "$T/img"
umoci new --image "$T/img:latest"
umoci raw add-layer --image "$T/img:latest" "$T/rootfs.tar"
tar -C "$T/img" -cf "$T/oci-bb.tar" .
try $C image import --base-name docker.io/library/oci-bb "$T/oci-bb.tar"
ok "ctr image import"
IMG=docker.io/library/oci-bb:latest

# wait_task ID STATUS: ctr's view of the task reaches STATUS (bounded).
wait_task() {
	i=0
	until $C task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}' | grep -qx "$2"; do
		i=$((i + 1))
		[ $i -lt 200 ] || return 1
		sleep 0.05
	done
}

# suite NAME RUNTIME: every check with ctr run --runc-binary RUNTIME.
suite() {
	n=$1 R="--runc-binary $2"
	echo "== ctr run --runc-binary $2 ($n)"
	try $C run --rm $R --cgroup "/$CGP/e-$n" $IMG e-$n echo hello-$n
	ok "$n: run --rm echo"
	[ "$OUT" = "hello-$n" ] || ko "$n: run --rm echo printed [$OUT]; $ERR"

	# -d, task exec, task kill, rm: the process ends on SIGTERM.
	try $C run -d $R --cgroup "/$CGP/d-$n" $IMG d-$n \
		sh -c 'trap "exit 7" TERM; while :; do sleep 1000 & wait; done'
	ok "$n: run -d"
	wait_task d-$n RUNNING || ko "$n: run -d: the task is not RUNNING: $($C task ls 2>&1)"
	try $C task exec --exec-id x1 d-$n sh -c 'echo exec-sees; cat /proc/[0-9]*/cmdline | tr "\0" " "'
	ok "$n: task exec"
	has "exec-sees" "$OUT" "$n: task exec output"
	has "sh -c trap" "$OUT" "$n: task exec: the container's process is in its PID namespace"
	try $C task kill -s TERM d-$n
	ok "$n: task kill"
	wait_task d-$n STOPPED || ko "$n: task kill: the task did not stop: $($C task ls 2>&1)"
	try $C task rm d-$n
	ok "$n: task rm"
	try $C container rm d-$n
	ok "$n: container rm"

	# -t: a terminal through the shim's console socket.
	try python3 tests/integration/lib/ptyrun.py run --after 'ready>' --input 'typed-line\n' -- \
		$C run --rm -t $R --cgroup "/$CGP/t-$n" $IMG t-$n sh -c 'tty; printf "ready>"; read l; echo "read:$l"'
	ok "$n: run -t"
	has "^/dev/pts/" "$OUT" "$n: run -t: tty"
	has "read:typed-line" "$OUT" "$n: run -t: input through the console"

	# --memory-limit: the container's cgroup carries it.
	# (the user's process itself, found by its argv)
	try $C run -d $R --memory-limit 67108864 --cgroup "/$CGP/m-$n" $IMG m-$n sleep 4242
	ok "$n: run --memory-limit"
	wait_task m-$n RUNNING || true
	pid=$(pgrep -x -f 'sleep 4242' || true)
	if [ -n "$pid" ] && [ -e "/proc/$pid" ]; then
		p=$(sed -n 's/^[0-9]*:memory:\(.*\)/\1/p' "/proc/$pid/cgroup")
		v=$(cat "/sys/fs/cgroup/memory$p/memory.limit_in_bytes" 2>/dev/null ||
			cat "/sys/fs/cgroup/unified$(sed -n 's/^0:://p' "/proc/$pid/cgroup")/memory.max" 2>/dev/null || echo none)
		[ "$v" = 67108864 ] || ko "$n: --memory-limit: the container's limit is [$v]"
	else
		ko "$n: --memory-limit: no running task (pid [$pid])"
	fi
	$C task kill -s KILL m-$n >/dev/null 2>&1 || true
	wait_task m-$n STOPPED || true
	try $C task rm m-$n
	ok "$n: task rm m"
	try $C container rm m-$n
	ok "$n: container rm m"
}

# doc/oci.md: the shim runs the binary named (a stand-in for brig-oci
# that logs its argv and runs runc); containerd takes the documented
# config.toml; the documented shim wrapper (no binary option, as Nomad's
# containerd driver runs it) reaches the binary too.
oci_logging_runtime "$T/bin/logging-runtime" "$T/argv.log" "$(command -v runc)"
try $C run --rm --runtime io.containerd.runc.v2 --runc-binary "$T/bin/logging-runtime" \
	--cgroup "/$CGP/w" $IMG w echo through-the-wrapper
ok "run --runc-binary WRAPPER"
[ "$OUT" = through-the-wrapper ] || ko "run --runc-binary WRAPPER printed [$OUT]"
log=$(cat "$T/argv.log" 2>/dev/null || true)
has " create --bundle " "$log" "the stand-in's argv log (the shim called it to create)"
has " start w" "$log" "the stand-in's argv log (start)"
has " delete " "$log" "the stand-in's argv log (delete)"
oci_doc_block containerd-config 1 | sed "s|/usr/sbin/brig-oci|$T/bin/logging-runtime|" >"$T/snippet.toml"
[ -s "$T/snippet.toml" ] || ko "doc/oci.md has no containerd-config snippet"
# (alone: containerd's own config above disables the CRI plugin)
{ echo "version = 2"; cat "$T/snippet.toml"; } >"$CD/config-doc.toml"
try containerd --config "$CD/config-doc.toml" config dump
ok "containerd config dump of doc/oci.md's snippet"
has '\[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.brig\]' "$OUT" "config dump: runtimes.brig"
has 'runtime_type = "io.containerd.runc.v2"' "$OUT" "config dump: runtimes.brig.runtime_type"
has "BinaryName = \"$T/bin/logging-runtime\"" "$OUT" "config dump: runtimes.brig.options.BinaryName"
# The shim wrapper: containerd finds containerd-shim-brig-v2 on its PATH
# (set before it started), the wrapper puts a runc that is the stand-in first.
: >"$T/argv.log"
oci_doc_block containerd-shim-brig 1 | sed '/^#!/,$!d' |
	sed "s|/usr/local/lib/brig-oci|$T/shimpath|" >"$T/bin/containerd-shim-brig-v2"
mkdir -p "$T/shimpath"
oci_doc_block containerd-shim-brig 2 | sed '/^#!/,$!d' |
	sed "s|/usr/sbin/brig-oci|$T/bin/logging-runtime|" >"$T/shimpath/runc"
chmod 755 "$T/bin/containerd-shim-brig-v2" "$T/shimpath/runc"
try $C run --rm --runtime io.containerd.brig.v2 --cgroup "/$CGP/s" $IMG s echo through-the-shim
ok "run --runtime io.containerd.brig.v2 (doc/oci.md's shim wrapper)"
[ "$OUT" = through-the-shim ] || ko "run --runtime io.containerd.brig.v2 printed [$OUT]"
has " create --bundle " "$(cat "$T/argv.log")" "the stand-in's argv log, through the shim wrapper"

oci_suites suite
