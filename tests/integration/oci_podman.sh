#!/bin/sh
# podman (Debian's package) driving an OCI runtime: runc first (the
# reference: proves the harness), then the runtime under test (brig-oci,
# or OCI_RUNTIME=PATH), each through `podman --runtime PATH`:
#   run --rm IMAGE echo; run -d + exec + logs + stop + rm; run -it on a
#   pty; -p 8080:80 with podman's own network (netavark: a bridge and
#   iptables rules in this test's network namespace only); --memory and
#   --pids-limit (the values in the container's cgroups); a pod (an infra
#   container and two containers sharing its network namespace).
# The image is imported offline (`podman import` of a busybox root
# tarball); podman's storage, run and temporary directories, its network
# config, its SHM locks and blob cache are this test's (a tmpfs each), and
# its cgroups live under a cgroup parent of this test's, removed at the end.
. tests/integration/lib/common.sh
. tests/integration/lib/checks.sh
. tests/integration/lib/oci.sh
for c in podman conmon runc iptables; do
	command -v $c >/dev/null || skip "$c is not installed (scripts/deps.sh)"
done
[ -x /usr/lib/podman/netavark ] || skip "netavark is not installed (scripts/deps.sh)"
oci_rut
CGP=oci-podman.$$
oci_podman_env "$CGP"
# podman's cgroupfs manager puts conmon under libpod_parent: removed at
# the end unless the host had it before.
lp0=$(ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null | wc -l)
cleanup() {
	P="$P --runtime $(command -v runc)"
	$P rm -a -f -t 0 >/dev/null 2>&1 || true
	$P pod rm -a -f -t 0 >/dev/null 2>&1 || true
	oci_cgroups_gone "$CGP"
	[ "$lp0" != 0 ] || oci_cgroups_gone libpod_parent
}
trap cleanup EXIT

oci_rootfs "$T/rootfs"
mkdir -p "$T/rootfs/www"
echo served-by-httpd >"$T/rootfs/www/index.html"
tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
try $P import -q "$T/rootfs.tar" localhost/oci-bb:1
ok "podman import"
IMG=localhost/oci-bb:1
# The pods' infra image: the same root, sleep as its entry point (the
# usual pause image would come from a registry).
try $P import -q --change 'ENTRYPOINT ["/bin/sleep","100000"]' "$T/rootfs.tar" localhost/oci-pause:1
ok "podman import (infra image)"

# cg_value PID V1-CONTROLLER V1-FILE V2-FILE: a cgroup file of PID's cgroup.
cg_value() {
	p=$(sed -n "s/^[0-9]*:$2:\\(.*\\)/\\1/p" "/proc/$1/cgroup")
	if [ -n "$p" ] && [ -f "/sys/fs/cgroup/$2$p/$3" ]; then
		cat "/sys/fs/cgroup/$2$p/$3"
		return
	fi
	p=$(sed -n 's/^0::\(.*\)/\1/p' "/proc/$1/cgroup")
	for r in /sys/fs/cgroup/unified /sys/fs/cgroup; do
		[ -f "$r$p/$4" ] && { cat "$r$p/$4"; return; }
	done
	echo "none"
}

# cid NAME: note the container's id; leaks NAME: a container's cgroup
# left anywhere but under the test's cgroup parent (where podman asked the
# runtime to put it) fails the test, and is removed.
cid() {
	$PR inspect -f '{{.Id}}' "$1" >>"$T/cids" 2>/dev/null || true
}
leaks() {
	[ -s "$T/cids" ] || return 0
	for id in $(sed 's/.*/&\nlibpod-&/' "$T/cids"); do
		for d in /sys/fs/cgroup/*/"$id" /sys/fs/cgroup/*/*/"$id" /sys/fs/cgroup/*/*/*/"$id"; do
			[ -d "$d" ] || continue
			case "$d" in */"$CGP"/*) continue ;; esac
			ko "$1: the container's cgroup $d is left after podman rm"
			find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
		done
	done
	: >"$T/cids"
}

# suite NAME RUNTIME: every check with podman --runtime RUNTIME.
suite() {
	n=$1 PR="$P --runtime $2"
	echo "== podman --runtime $2 ($n)"
	# run --rm IMAGE echo
	try $PR run --rm $U --network none $IMG echo hello-$n
	ok "$n: run --rm echo"
	[ "$OUT" = "hello-$n" ] || ko "$n: run --rm echo printed [$OUT], expected [hello-$n]; $ERR"
	try $PR ps -a -q
	[ -z "$OUT" ] || ko "$n: run --rm left a container: $OUT"

	# run -d + exec + logs + stop + rm; the process ends on SIGTERM.
	try $PR run -d --name d-$n $U --network none $IMG \
		sh -c 'trap "echo got-term; exit 0" TERM; echo started-$0; while :; do sleep 1000 & wait; done' $n
	ok "$n: run -d"
	cid d-$n
	try $PR exec d-$n sh -c 'echo exec-in-$(hostname)'
	ok "$n: exec"
	has "exec-in-" "$OUT" "$n: exec output"
	try $PR inspect -f '{{.State.Status}}' d-$n
	[ "$OUT" = running ] || ko "$n: run -d: status [$OUT], expected running"
	try $PR stop -t 10 d-$n
	ok "$n: stop"
	try $PR inspect -f '{{.State.Status}} {{.State.ExitCode}}' d-$n
	[ "$OUT" = "exited 0" ] || ko "$n: after stop: [$OUT], expected [exited 0] (the process's own exit on SIGTERM)"
	try $PR logs d-$n
	ok "$n: logs"
	has "started-$n" "$OUT" "$n: logs"
	has "got-term" "$OUT" "$n: logs after stop"
	try $PR rm d-$n
	ok "$n: rm"

	# run -it through a pty: the process has a terminal, input reaches it.
	try python3 tests/integration/lib/ptyrun.py run --after 'ready>' --input 'typed-line\n' -- \
		$PR run -it --rm $U --network none $IMG sh -c 'tty; printf "ready>"; read l; echo "read:$l"'
	ok "$n: run -it"
	has "^/dev/pts/" "$OUT" "$n: run -it: tty"
	has "read:typed-line" "$OUT" "$n: run -it: input through the pty"

	# -p 8080:80 with podman's network (netavark's bridge in this namespace).
	try $PR run -d --name web-$n $U -p 8080:80 $IMG httpd -f -p 80 -h /www
	ok "$n: run -p 8080:80"
	cid web-$n
	got='' i=0
	while [ $i -lt 100 ]; do
		got=$(wget -q -T 2 -O- http://127.0.0.1:8080/ 2>/dev/null) && break
		i=$((i + 1))
		sleep 0.05
	done
	[ "$got" = served-by-httpd ] || ko "$n: -p 8080:80: http://127.0.0.1:8080/ gave [$got]"
	try $PR rm -f -t 0 web-$n
	ok "$n: rm -f web"

	# --memory / --pids-limit: the container's cgroups carry them.
	# (the user's process itself, found by its argv: whatever pid the
	# runtime reports)
	try $PR run -d --name lim-$n $U --network none --memory 64m --pids-limit 99 $IMG sleep 4242
	ok "$n: run --memory --pids-limit"
	cid lim-$n
	i=0
	until pid=$(pgrep -x -f 'sleep 4242'); do
		i=$((i + 1))
		[ $i -lt 100 ] || break
		sleep 0.05
	done
	if [ "$pid" -gt 0 ] 2>/dev/null && [ -e "/proc/$pid" ]; then
		v=$(cg_value "$pid" memory memory.limit_in_bytes memory.max)
		[ "$v" = 67108864 ] || ko "$n: --memory 64m: the container's memory limit is [$v]"
		v=$(cg_value "$pid" pids pids.max pids.max)
		[ "$v" = 99 ] || ko "$n: --pids-limit 99: the container's pids.max is [$v]"
	else
		ko "$n: --memory: no running container process (pid [$pid])"
	fi
	try $PR rm -f -t 0 lim-$n
	ok "$n: rm -f lim"

	# A pod: its infra container (from the same image: offline) holds the
	# network namespace; one container serves, the other reaches it on
	# 127.0.0.1 and sees the same network namespace.
	try $PR pod create --name pod-$n --cgroup-parent /$CGP --infra-image localhost/oci-pause:1
	ok "$n: pod create"
	try $PR run -d --pod pod-$n --name pa-$n $U $IMG httpd -f -p 8081 -h /www
	ok "$n: pod: first container"
	cid pa-$n
	# (busybox nc: its static wget crashes in glibc's resolver here)
	try $PR run --rm --pod pod-$n $U $IMG sh -c \
		'i=0; until printf "GET / HTTP/1.0\r\n\r\n" | nc 127.0.0.1 8081; do i=$((i+1)); [ $i -lt 100 ] || exit 1; sleep 0.05; done'
	ok "$n: pod: second container reaches the first on 127.0.0.1"
	has "^served-by-httpd" "$OUT" "$n: pod: what the second container got"
	# (the processes themselves, found by their argv)
	pa=$(pgrep -x -f 'httpd -f -p 8081 -h /www' || echo 0)
	pi=$(pgrep -x -f '/bin/sleep 100000' || echo 0)
	a=$(readlink "/proc/$pa/ns/net" 2>/dev/null || echo none)
	b=$(readlink "/proc/$pi/ns/net" 2>/dev/null || echo none)
	[ "$a" != none ] && [ "$a" = "$b" ] && [ "$a" != "$(readlink /proc/self/ns/net)" ] ||
		ko "$n: pod: container net ns [$a], infra's [$b]: expected the same, not the host's"
	try $PR pod rm -f -t 0 pod-$n
	ok "$n: pod rm"
	leaks "$n"
}

# doc/oci.md's containers.conf: podman without --runtime runs the binary
# it names (a stand-in for brig-oci logging its argv, then running runc).
mkdir -p "$T/bin"
oci_logging_runtime "$T/bin/logging-runtime" "$T/argv.log" "$(command -v runc)"
oci_doc_block containers-conf 1 | sed "s|/usr/sbin/brig-oci|$T/bin/logging-runtime|" >"$T/containers.conf"
grep -q logging-runtime "$T/containers.conf" || ko "doc/oci.md has no containers-conf snippet naming /usr/sbin/brig-oci"
try env CONTAINERS_CONF="$T/containers.conf" $P run --rm $U --network none $IMG echo through-containers-conf
ok "podman run with doc/oci.md's containers.conf"
[ "$OUT" = through-containers-conf ] || ko "podman run with doc/oci.md's containers.conf printed [$OUT]"
has "create --bundle " "$(cat "$T/argv.log" 2>/dev/null)" "the stand-in's argv log (podman's create through containers.conf)"

oci_suites suite
