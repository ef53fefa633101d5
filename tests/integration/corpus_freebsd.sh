# Real FreeBSD jail.conf files (tests/corpus/freebsd and
# tests/corpus/jailconf-real; tests/corpus/freebsd/README.md says where each
# comes from) started and stopped by brig as jail(8): `jail -f FILE -c`,
# then `jail -f FILE -r '*'`, each file in a chroot into a fresh writable
# overlay of this sandbox's root, with busybox roots at its paths and hook
# commands rewritten for Linux by tests/corpus/freebsd/linux/FILE.sed
# (lib/corpus_one.sh does one file). Every file's outcome must be the one
# the table below says, in either direction: a known failure that now
# passes fails this test until the table says "pass". (47 files: 35 pass,
# 11 refused as by jail(8), 1 known: jailconf-real 04's ZFS jail.)
. tests/integration/lib/common.sh
command -v python3 >/dev/null || skip "python3 is needed to read config show --json"
command -v nft >/dev/null || skip "nft is needed to check for left tables"
grep -qw overlay /proc/filesystems || skip "overlayfs is needed for the roots of the files' paths"

# FILE | OUTCOME | FIRST ERROR LINE CONTAINS | WHY (and the part of issue 20
# that changes it)
#   pass     starts and stops cleanly, leaves nothing
#   refused  FreeBSD's jail(8) refuses or fails the file too: a config
#            error, or a hook that fails on FreeBSD as well
#   known    a known failure of brig
# (the text must be in the first error line or, as several jails start in
# parallel, in any error line of the run)
table() {
	cat <<'EOF'
appjail-01-default.conf | pass | |
bastille-01-thin.conf | pass | |
bastille-02-vnet-bridge.conf | pass | |
bastille-03-linux.conf | pass | |
fbt-01-jid-name.conf | pass | |
fbt-02-jid-hostname.conf | pass | |
fbt-03-name-jid.conf | pass | |
fbt-04-prestop.conf | pass | |
fbt-05-jid-named-prestop.conf | pass | |
fbt-06-poststop-jid.conf | pass | |
hb-01-typical.conf | refused | missing ';' before "interface" | no ';' after ip6.addr: a syntax error for jail(8) too
hb-02-classic.conf | pass | |
hb-03-thin-zfs.conf | pass | |
hb-04-thin-nullfs.conf | pass | |
hb-05-vnet.conf | pass | |
hb-06-linux.conf | pass | |
seed-tata.conf | pass | |
01-freebsd-freebsd-src-share-examples-jails-jail.xxx.conf | pass | |
02-freebsd-freebsd-src-usr.sbin-jail-tests-commands.jail.conf | pass | |
03-paulc-freebsd-ipv6-jail-files-jail.conf | pass | |
04-hxw-dotfiles-jail-jail.conf | known | phab: start: exec.created: zfs | jail1 passes (jib: linux/jib, FreeBSD's jib for ip(8)); phab delegates a ZFS dataset (exec.created zfs jail, allow.mount.zfs, zfs mount -a in the jail): this sandbox has no ZFS (FreeBSD's jail(8) fails phab the same way on a host without the dataset), and brig's jails have none (allow.mount.zfs, zfs.dataset: ignored on Linux; OpenZFS's zfs zone into a userns jail would be the Linux form)
05-JozanLeClerc-joe-conf-etc-jail.conf | refused | Network is unreachable | jail wireguard's exec.start adds a default route via 10.0.0.254, off-link for its 10.0.0.4/32: FreeBSD refuses the route too (sys/net/route/route_ctl.c create_rtentry() -> sys/net/route.c rt_getifa_fib(): ifa_ifwithroute() finds no interface or route to the gateway, ENETUNREACH; sbin/route/route.c newroute() exits 1), so jail(8) fails wireguard at exec.start; www, git, i2p start and stop
06-jojojames-freebsd-files-etc-jail.conf | pass | |
07-dang0x5f-dot_files-jail.conf | pass | |
08-icaksh-shinsha-jail-jail.conf | pass | |
09-gmshake-jail-crash-jail.conf | pass | |
10-tmmvn-bsd-configs-jails-jail.conf | refused | missing ';' before "exec.prestart" | no ';' after mount.fstab: a syntax error for jail(8) too
11-NeoTorino-FreeBSD-etc-jail.conf | pass | |
12-skhal-lab-net.lab.nuc-jail.conf.d-linux.conf | refused | depends on undefined jail | depends on jails of sibling files: jail(8) fails the jail too
13-BawdyAnarchist-quBSD-zroot-etc-jail.conf | pass | |
14-BawdyAnarchist-quBSD-jail.conf.d-jails-disp1.conf | refused | cannot include | includes files that are not here: jail(8) refuses too
15-BawdyAnarchist-quBSD-jail.conf.d-base.conf | pass | |
16-christian-moerz-eurobsdcon24-jail.conf | refused | cannot include | includes a file that is not here: jail(8) refuses too
17-LFour86-freebsd-lf-etc-jail.conf | pass | |
18-FreshPorts-host-init-jail.conf | pass | |
19-NikolayDachev-jails-jail.conf | refused | cannot redefine parameter "name" | sets name in a named block: jail(8) refuses too
20-skunkwerks-diy-jails-etc-jail.conf | pass | |
21-sanyimano-prepare-basejail-jail.conf | refused | interface ire0 | interface ire0, a typo in the file (for re0): jail(8) fails it too (ifconfig: interface ire0 does not exist)
22-Rogiel-freebsd-config-files-etc-jail.conf | pass | |
23-imstrng-freebsd-desktop-jail.conf | pass | |
24-indgy-app-jail-jail.conf | refused | missing ';' before "exec.stop" | no ';' after exec.start: a syntax error for jail(8) too
25-jackvz-build-linux-on-freebsd-jail.conf | refused | not an IPv4 address | a placeholder address ([busybox-ip]): jail(8) refuses it too (config.c: inet_pton fails, "invalid IP address")
26-bastille-templates-wazuh-files-jail.conf | refused | not an IPv4 address | a placeholder address (%%SERVER_IP%%): jail(8) refuses it too (config.c: inet_pton fails, "invalid IP address")
27-thindil-wine-freesbie-jail.conf | pass | |
28-EduBarbosa1983-confs-jails-jail.conf | pass | |
29-TheDevtop-jails-etc-jail.conf | pass | |
30-birmoscow-sp-jails-jail.conf | pass | |
EOF
}

# FILE | SETUP words for lib/corpus_one.sh: what the file expects of its
# host besides what it names itself (paths, mount points, logs, fstab files):
#   nic:IF (a veth end, peer IF.p)  bridge:IF  root:PATH  dir:PATH  file:SRC:DEST  hook:SRC:DEST
# (hook: SRC rewritten by tests/corpus/freebsd/linux/SRC.sed, executable)
setup() {
	cat <<'EOF'
hb-01-typical.conf | nic:em0
hb-02-classic.conf | nic:em0
hb-03-thin-zfs.conf | nic:em0
hb-04-thin-nullfs.conf | nic:em0 root:/usr/local/jails/templates/14.2-RELEASE-base dir:/usr/local/jails/templates/14.2-RELEASE-base/skeleton dir:/usr/local/jails/containers/thinjail file:hb-04-thin-nullfs.fstab:/usr/local/jails/thinjail-nullfs-base.fstab
hb-05-vnet.conf | bridge:bridge0
hb-06-linux.conf | nic:em0
bastille-01-thin.conf | nic:bastille0 root:/usr/local/bastille/releases/14.2-RELEASE file:bastille-01-thin.fstab:/usr/local/bastille/jails/web/fstab
bastille-02-vnet-bridge.conf | bridge:bridge0 root:/usr/local/bastille/releases/14.2-RELEASE file:bastille-02-vnet-bridge.fstab:/usr/local/bastille/jails/vweb/fstab file:bastille.devfs.rules:/etc/devfs.rules
bastille-03-linux.conf | nic:bastille0 file:bastille-03-linux.fstab:/usr/local/bastille/jails/ubu/fstab
seed-tata.conf | bridge:bridge0 file:seed-base.inc:/etc/jail.conf.d/base.conf hook:seed-jail-epair.sh:/usr/local/libexec/jail-epair.sh hook:seed-jail-net.sh:/usr/local/libexec/jail-net.sh
01-freebsd-freebsd-src-share-examples-jails-jail.xxx.conf | nic:em0
03-paulc-freebsd-ipv6-jail-files-jail.conf | bridge:bridge0
04-hxw-dotfiles-jail-jail.conf | nic:lagg0 bridge:lagg0bridge file:jail-bpf.devfs.rules:/etc/devfs.rules file:linux/jib:/usr/share/examples/jails/jib
05-JozanLeClerc-joe-conf-etc-jail.conf | bridge:bridge0
06-jojojames-freebsd-files-etc-jail.conf | nic:lagg0 bridge:bridge0
07-dang0x5f-dot_files-jail.conf | bridge:vnet
08-icaksh-shinsha-jail-jail.conf | bridge:bridge0 file:desktop.devfs.rules:/etc/devfs.rules
11-NeoTorino-FreeBSD-etc-jail.conf | nic:lo1
13-BawdyAnarchist-quBSD-zroot-etc-jail.conf | file:qubsd.devfs.rules:/etc/devfs.rules
18-FreshPorts-host-init-jail.conf | nic:lo1 nic:lo2 nic:lo3 nic:igb0
19-NikolayDachev-jails-jail.conf | nic:em0
20-skunkwerks-diy-jails-etc-jail.conf | nic:lo1
21-sanyimano-prepare-basejail-jail.conf | file:jail-bpf.devfs.rules:/etc/devfs.rules
22-Rogiel-freebsd-config-files-etc-jail.conf | nic:lo1
28-EduBarbosa1983-confs-jails-jail.conf | nic:lo1
30-birmoscow-sp-jails-jail.conf | nic:em0
EOF
}

# FILE | WHAT IS LEFT: what a file that fails leaves behind that FreeBSD's
# jail(8) leaves as well (the LEFT lines of lib/corpus_one.sh, joined by
# "; "). A jail whose creation fails is undone by jail(8) step by step in
# reverse (usr.sbin/jail/command.c next_command(): create_failed walks the
# start steps back, skipping exec.prestart, exec.start, command,
# exec.poststart; exec.poststop is no start step), so what its
# exec.prestart made stays (04: as when phab's zfs jail fails on a FreeBSD
# host with ZFS). Anything else left fails the file.
leaves() {
	cat <<'EOF'
04-hxw-dotfiles-jail-jail.conf | interfaces left: e0a_phab e0b_phab
05-JozanLeClerc-joe-conf-etc-jail.conf | interfaces left: epair4a epair4b
EOF
}

mkdir -p "$T/bin"
for fe in jail jls jexec; do ln -s "$BRIG" "$T/bin/$fe"; done
links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort; }
L0=$(links)

# one FILE: run it in a mount namespace of its own whose root is a fresh
# writable overlay of this sandbox's root (pivot_root, so that brig's own
# pivot_root into each jail's path works as on a real root); its RESULT
# line in $T/result.
one() {
	words=$(setup | awk -F' *[|] *' -v f="$(basename "$1")" '$1 == f { print $2 }')
	# shellcheck disable=SC2086
	unshare --mount --propagation private sh -euc '
		nr=$T/nr u=$T/ov here=$1
		shift
		mkdir -p "$nr" "$u"
		mount -t tmpfs corpus "$u"
		mkdir "$u/up" "$u/wk"
		mount -t overlay overlay -o "lowerdir=/,upperdir=$u/up,workdir=$u/wk" "$nr"
		mount --rbind /sys "$nr/sys"
		mount --rbind /dev "$nr/dev"
		mount -t proc proc "$nr/proc"
		mkdir -p "$nr$T" "$nr/.old"
		mount --rbind "$T" "$nr$T"
		cd "$nr"
		pivot_root . .old
		umount -l /.old
		rmdir /.old
		cd "$here"
		exec sh tests/integration/lib/corpus_one.sh "$@"' \
		sh "$PWD" "$1" $words >"$T/result" 2>"$T/log"
	# What a failed file left in the network namespace.
	for l in $(links); do
		printf '%s\n' "$L0" | grep -qxF "$l" || ip link del "$l" 2>/dev/null || true
	done
	nft delete table inet brig 2>/dev/null || true
}

bad=0 n=0 npass=0 nknown=0 nrefused=0
for f in tests/corpus/freebsd/*.conf tests/corpus/jailconf-real/*.conf; do
	b=$(basename "$f")
	n=$((n + 1))
	row=$(table | awk -F' *[|] *' -v f="$b" '$1 == f')
	[ -n "$row" ] || { echo "FAIL $b: not in the table"; bad=$((bad + 1)); continue; }
	want=$(printf '%s' "$row" | awk -F' *[|] *' '{print $2}')
	pat=$(printf '%s' "$row" | awk -F' *[|] *' '{print $3}')
	why=$(printf '%s' "$row" | awk -F' *[|] *' '{print $4}')
	one "$f"
	got=$(sed -n 's/^RESULT //p' "$T/result")
	case $want:$got in
	pass:pass)
		npass=$((npass + 1)); echo "ok $b: passed" ;;
	pass:fail*)
		echo "FAIL $b: expected to pass, failed: ${got#fail }"; sed 's/^/    /' "$T/log"; bad=$((bad + 1)) ;;
	refused:pass | known:pass)
		echo "FAIL $b: now passes, the table says $want ($why): make it pass"; bad=$((bad + 1)) ;;
	refused:fail* | known:fail*)
		# It leaves nothing but what jail(8) leaves too (leaves()),
		# and the table's text is in the first error or, as jails
		# start in parallel, in any error line of the run.
		left=$(sed -n 's/^LEFT //p' "$T/result" | sed 's/ *$//' | paste -sd';' - | sed 's/;/; /g')
		wleft=$(leaves | awk -F' *[|] *' -v f="$b" '$1 == f { print $2 }')
		if [ "$left" != "$wleft" ]; then
			echo "FAIL $b: $want as the table says, but left [$left], expected [$wleft]"
			sed 's/^/    /' "$T/log"
			bad=$((bad + 1))
		elif sed -n 's/^\(RESULT fail\|ERROR\) //p' "$T/result" | grep -qF -- "$pat"; then
			[ "$want" = refused ] && nrefused=$((nrefused + 1)) || nknown=$((nknown + 1))
			echo "ok $b: $want: ${got#fail } ($why)"
		else
			echo "FAIL $b: $want with [$pat] expected, failed with: ${got#fail }"
			sed 's/^/    /' "$T/log"
			bad=$((bad + 1))
		fi ;;
	*)
		echo "FAIL $b: no result ($want): $(cat "$T/result" "$T/log")"; bad=$((bad + 1)) ;;
	esac
done
# Rows of the table that name no file.
for r in $(table | awk -F' *[|] *' 'NF > 1 { print $1 }'); do
	[ -e "tests/corpus/freebsd/$r" ] || [ -e "tests/corpus/jailconf-real/$r" ] ||
		{ echo "FAIL table row $r: no such file"; bad=$((bad + 1)); }
done
echo "corpus: $n files: $npass pass, $nrefused refused as by jail(8), $nknown known failures, $bad unexpected"
[ $bad = 0 ] || fail "$bad file(s) did not do what the table says"
