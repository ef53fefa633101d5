#!/bin/sh
# One jail.conf of the FreeBSD corpus, run by tests/integration/corpus_freebsd.sh
# inside a chroot into a writable overlay of the test's root (so the file's
# own absolute paths, /usr/local/jails/..., /etc/jail.conf.d/..., can be made
# without touching the host's files).
#
#   corpus_one.sh FILE SETUP...
#
# Makes what the file expects of its host, as an admin's machine has it:
# a busybox root (with a stand-in /etc/rc and /etc/rc.shutdown) at each
# jail's path, the directories of its mount points, console logs and fstab
# files, and what the SETUP words name (see corpus_freebsd.sh). Then
# `jail -f FILE -c` and `jail -f FILE -r '*'` (brig as jail(8)), and checks
# that nothing is left: no jail, state, init, mount, interface, nft table.
# Prints one line:  RESULT pass  |  RESULT fail FIRST-ERROR-LINE
# and after a failure, each line brig printed on stderr:  ERROR LINE
# and what was left behind:  LEFT WHAT
set -u
f=$1
shift
. tests/integration/lib/common.sh
PATH="$T/bin:$PATH"
D=tests/corpus/freebsd
W=$T/work
mkdir -p "$W"
name=$(basename "$f")

# The FreeBSD userland's rc scripts, as far as a busybox root goes: rc
# leaves a daemon running (as FreeBSD's starts cron, syslogd...: a jail
# without persist lives on until it is removed), rc.shutdown returns and
# jail -r ends what is left.
mk_root() {
	[ -e "$1/bin/sh" ] && return 0
	mk_busybox_root "$1"
	mk_rc "$1"
}
# The stand-in rc scripts in root $1 (/: the host's, for a jail whose path
# is / or unset, as a FreeBSD host has them), where it has none.
mk_rc() {
	[ -e "$1/etc/rc" ] && return 0
	printf '#!/bin/sh\n# stand-in for FreeBSD'"'"'s /etc/rc\nsetsid sleep 2147483647 </dev/null >/dev/null 2>&1 &\n' >"$1/etc/rc"
	printf '#!/bin/sh\n# stand-in for FreeBSD'"'"'s /etc/rc.shutdown\nexit 0\n' >"$1/etc/rc.shutdown"
	chmod +x "$1/etc/rc" "$1/etc/rc.shutdown"
}

# brig's front-ends where a package installs them: a hook that runs
# `jexec` with exec.clean gets PATH=/sbin:/bin:/usr/sbin:/usr/bin, which
# must find brig's before anything else of that name (this machine's
# OpenJDK has a /usr/bin/jexec, a launcher of jar files: "invalid path").
for fe in jail jls jexec; do ln -sf "$BRIG" "/usr/sbin/$fe"; done

# The file as brig reads it, rewritten for Linux tools: its own sed map
# (tests/corpus/freebsd/linux/FILE.sed), then the common one.
cp "$f" "$W/$name"
[ ! -f "$D/linux/$name.sed" ] || sed -i -f "$D/linux/$name.sed" "$W/$name"
sed -i -f "$D/linux/common.sed" "$W/$name"
conf=$W/$name

# SETUP words.
for s in "$@"; do
	case $s in
	# (This kernel may lack dummy interfaces: a NIC is a veth end.)
	nic:*) ip link add "${s#nic:}" type veth peer name "${s#nic:}.p" &&
		ip link set "${s#nic:}" up ;;
	bridge:*) ip link add "${s#bridge:}" type bridge && ip link set "${s#bridge:}" up ;;
	root:*) mk_root "${s#root:}" ;;
	dir:*) mkdir -p "${s#dir:}" ;;
	file:*)	# file:SRC:DEST, SRC in tests/corpus/freebsd
		src=${s#file:}; dst=${src#*:}; src=${src%%:*}
		mkdir -p "$(dirname "$dst")" && cp "$D/$src" "$dst" ;;
	hook:*)	# hook:SRC:DEST, a hook script rewritten by linux/SRC.sed
		src=${s#hook:}; dst=${src#*:}; src=${src%%:*}
		mkdir -p "$(dirname "$dst")" &&
			sed -f "$D/linux/$src.sed" "$D/$src" >"$dst" && chmod +x "$dst" ;;
	*) false ;;
	esac || { echo "RESULT fail corpus_one: setup $s failed"; exit 0; }
done

# What the configuration names: roots, mount points, logs, fstab files.
if "$BRIG" config show --json -f "$conf" >"$W/show.json" 2>"$W/show.err"; then
	python3 - "$W/show.json" >"$W/needs" <<'PY' || { echo "RESULT fail corpus_one: cannot read config show"; exit 0; }
import json, os, sys
for j in json.load(open(sys.argv[1])):
    p = j["params"]
    path = p.get("path")
    if path and path != "/":
        print("root", path)
    else:
        print("rc", "/")
    for k in ("exec.consolelog",):
        v = p.get(k)
        if v:
            print("dir", os.path.dirname(v))
    fstab = p.get("mount.fstab")
    lines = list(p.get("mount", []))
    for fs in ([fstab] if isinstance(fstab, str) else fstab or []):
        if not fs:
            continue
        print("fstab", fs)
        if os.path.exists(fs):
            lines += [l for l in open(fs) if l.strip() and not l.lstrip().startswith("#")]
    for l in lines:
        w = l.split()
        if len(w) >= 3:
            if w[0].startswith("/"):
                print("dir", w[0])
            print("dir", w[1])
PY
	while read -r what p; do
		case $what in
		root) mk_root "$p" ;;
		rc) mk_rc "$p" ;;
		dir) mkdir -p "$p" ;;
		fstab) [ -e "$p" ] || { mkdir -p "$(dirname "$p")"; : >"$p"; } ;;
		esac
	done <"$W/needs"
fi

# What exists before: mounts (but brig's bpffs, where a shared-IP start
# pins its programs for the next: sys/sockaddr.c), interfaces, nft tables.
mounts() { grep -v " $BRIG_RUNDIR/.bpf " /proc/self/mountinfo; }
links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
tables() { nft list tables 2>/dev/null | sort; }
m0=$(mounts | wc -l)
l0=$(links)
n0=$(tables)

first=""
note() { [ -n "$first" ] || first=$(grep -v '^[[:space:]]*$' "$1" | head -n 1 | sed "s|$W/||g"); }
timeout -k 5 120 jail -f "$conf" -c >"$W/c.out" 2>"$W/c.err"
rc=$?
[ $rc = 0 ] || { note "$W/c.err"; [ -n "$first" ] || first="jail -c exited $rc"; }
timeout -k 5 120 jail -f "$conf" -r '*' >"$W/r.out" 2>"$W/r.err"
rr=$?
[ $rr = 0 ] || { note "$W/r.err"; [ -n "$first" ] || first="jail -r exited $rr"; }

# Nothing left, after a pass or a failure alike (a file that fails as
# FreeBSD's jail(8) fails it must leave nothing either): one LEFT line
# for each kind of thing left.
left() { echo "LEFT $1" >>"$W/left"; }
: >"$W/left"
j=$("$BRIG" ls --json 2>/dev/null | tr -d ' \n')
[ "$j" = "[]" ] || left "jails left running: $j"
n=0
while [ -n "$(ls "$BRIG_RUNDIR")" ] && [ $n -lt 30 ]; do sleep 0.2; n=$((n + 1)); done
[ -z "$(ls "$BRIG_RUNDIR")" ] || left "run directory left: $(ls "$BRIG_RUNDIR" | tr '\n' ' ')"
[ "$(mounts | wc -l)" = "$m0" ] ||
	left "mounts left: $(mounts | tail -n +$((m0 + 1)) | cut -d' ' -f5 | tr '\n' ' ')"
[ "$(links)" = "$l0" ] ||
	left "interfaces left: $(printf '%s\n' "$(links)" | grep -vxF "$l0" | tr '\n' ' ')"
[ "$(tables)" = "$n0" ] || left "nft tables left: $(tables | tr '\n' ' ')"
[ -n "$first" ] || first=$(sed -n '1s/^LEFT //p' "$W/left")

if [ -z "$first" ]; then
	echo "RESULT pass"
else
	echo "RESULT fail $first"
	# Every error (jails start in parallel: which fails first may vary).
	cat "$W/c.err" "$W/r.err" | grep -v '^[[:space:]]*$' | sed "s|$W/||g; s/^/ERROR /"
	cat "$W/left"
fi
# Whatever is left, for the next file: jails (no hooks), then the logs.
"$BRIG" ls --json 2>/dev/null | grep -q '"name"' && jail -R '*' >/dev/null 2>&1
for x in c.out c.err r.out r.err; do sed "s/^/  $x: /" "$W/$x" >&2; done
exit 0
