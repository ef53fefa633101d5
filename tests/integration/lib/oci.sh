# Sourced by the OCI runtime tests (oci_*.sh) after common.sh: the runtime
# under test, a busybox root for bundles and images, and cleanup of what
# the engines leave in cgroupfs.
#
# oci_rut: the runtime under test in $RUT (a path), or RUT= and the reason
# in $RUT_WHY. OCI_RUNTIME=PATH names it; by default brig's OCI front-end,
# brig-oci: a link to $BRIG (as installed), usable only once brig answers
# `brig-oci features` with the spec's JSON. OCI_RUNTIME=runc (or crun)
# runs a test against another runtime.
# The engines' and runtimes' state under /run (runc's /run/runc, podman's
# /run/libpod and /run/containers, netavark's /run/netns) stays in the
# test's mount namespace: a tmpfs of its own over /run.
mount -t tmpfs oci-run /run
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib

oci_rut() {
	RUT='' RUT_WHY=''
	if [ -n "${OCI_RUNTIME:-}" ]; then
		RUT=$(command -v "$OCI_RUNTIME") || { RUT='' RUT_WHY="OCI_RUNTIME=$OCI_RUNTIME: not found"; return 0; }
		return 0
	fi
	mkdir -p "$T/bin"
	# brig oci with the test's brig directories: podman, conmon and the
	# containerd shim do not pass their caller's environment on, and
	# brig's defaults are the host's (/run/brig, /var/log/brig).
	printf '#!/bin/sh\nexec env BRIG_RUNDIR=%s BRIG_CONFDIR=%s BRIG_LOGDIR=%s BRIG_STOREDIR=%s %s oci "$@"\n' \
		"$BRIG_RUNDIR" "$BRIG_CONFDIR" "$BRIG_LOGDIR" "$BRIG_STOREDIR" "$BRIG" >"$T/bin/brig-oci"
	chmod +x "$T/bin/brig-oci"
	if "$T/bin/brig-oci" features >"$T/features.json" 2>"$T/features.err" &&
		grep -q '"ociVersionMax"' "$T/features.json"; then
		RUT=$T/bin/brig-oci
	else
		RUT_WHY="brig-oci (a link to $BRIG) does not answer \`features\` yet: $(head -c 200 "$T/features.err")"
	fi
}

# oci_rootfs DIR: a busybox root with what the tests look at: the hook
# script bin/oci-hook (NAME LOG: appends "NAME MNTNS UTSNS STATE" to LOG,
# STATE the JSON the runtime gave on stdin), a file and a directory to
# mask, and the mount points of the bundles (a read-only root cannot get
# them later).
oci_rootfs() {
	mk_busybox_root "$1"
	mkdir -p "$1/out" "$1/data" "$1/scratch" "$1/srv/secretdir" "$1/usr/bin" "$1/var/tmp" "$1/run"
	chmod 1777 "$1/tmp"
	echo secret >"$1/etc/secret"
	echo secret >"$1/srv/secretdir/file"
	chmod 644 "$1/etc/secret" "$1/srv/secretdir/file"
	cat >"$1/bin/oci-hook" <<'EOF'
#!/bin/sh
st=$(cat)
echo "$1 $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/uts) $st" >>"$2"
EOF
	chmod 755 "$1/bin/oci-hook"
	printf 'nameserver 127.0.0.1\n' >"$1/etc/resolv.conf"
	printf '127.0.0.1 localhost\n' >"$1/etc/hosts"
	echo oci >"$1/etc/hostname"
}

# oci_cgroups_gone GLOB...: remove the cgroup directories GLOB (relative
# to each hierarchy) depth first; the engines' own deletes leave their
# parents (runc: the cgroupsPath's parent; podman: libpod_parent).
oci_cgroups_gone() {
	for n in "$@"; do
		for d in /sys/fs/cgroup/*/$n /sys/fs/cgroup/$n; do
			[ -d "$d" ] || continue
			find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
		done
	done
}

# oci_doc_block MARKER N: the Nth code block (1: the first) after the line
# "<!-- test: MARKER -->" of doc/oci.md, without its fences: the tests
# run the configuration snippets the documentation gives.
oci_doc_block() {
	awk -v m="<!-- test: $1 -->" -v n="$2" '
		$0 == m { on = 1; next }
		on && /^```/ { if (inb) { inb = 0; k++; if (k == n) exit } else inb = 1; next }
		on && inb && k == n - 1 { print }' doc/oci.md
}

# oci_logging_runtime FILE LOG REAL: a stand-in runtime at FILE that
# appends its argv to LOG and runs REAL: proves which binary an engine ran.
oci_logging_runtime() {
	printf '#!/bin/sh\necho "$*" >>%s\nexec %s "$@"\n' "$2" "$3" >"$1"
	chmod 755 "$1"
}

# oci_podman_env CGROUP-PARENT: podman with nothing of its own outside $T
# in $P (its storage, run and temporary directories, its network config;
# a private /dev/shm for its lock segment and /var/lib/containers for its
# blob info cache, TMPDIR for image copies), and in $U the run options
# every container takes: its cgroups under CGROUP-PARENT, and limits
# Debian's podman would otherwise set above this sandbox's hard limits
# (1048576 open files).
oci_podman_env() {
	mount -t tmpfs oci-shm /dev/shm
	if [ -d /var/lib/containers ]; then mount -t tmpfs oci-vlc /var/lib/containers; fi
	export TMPDIR="$T/pm/tmp"
	mkdir -p "$TMPDIR" "$T/pm/net"
	P="podman --root $T/pm/root --runroot $T/pm/run --tmpdir $T/pm/tmp --network-config-dir $T/pm/net
	--cgroup-manager cgroupfs --events-backend file --storage-driver overlay"
	U="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --cgroup-parent /$1"
}

# oci_suites SUITE: SUITE NAME PATH with runc, then with the runtime
# under test; a check failed with runc fails the test (the harness or the
# host is broken), one failed with the runtime under test too; without a
# runtime under test the test is skipped, saying why (lib/checks.sh).
oci_suites() {
	$1 runc "$(command -v runc)"
	runc_bad=$bad
	if [ -n "$RUT" ]; then
		$1 "$(basename "$RUT")" "$RUT"
	fi
	[ "$runc_bad" = 0 ] || fail "$runc_bad check(s) failed with runc: the harness or the host is broken"
	checks_done
	[ -n "$RUT" ] || skip "runc: every check passed; no runtime under test: $RUT_WHY"
}
