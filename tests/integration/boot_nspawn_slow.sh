# Boot for real (issue 15, item 6): a Debian root (debootstrap'd once,
# cached, mounted copy-on-write) with this tree's package installed boots
# under systemd-nspawn; brig.service starts the boot jails in depend
# order (db, then web; tools has noboot; bad fails without stopping the
# others, and says so in the journal and `systemctl status`), `systemctl
# reload brig` restarts a changed jail and starts a new one, and poweroff
# stops them in reverse order. The machine is private: not
# registered, no unit of the host's systemd, its own network namespace,
# only this test's marks directory bound in.
# brig-test: host-network
. tests/integration/lib/common.sh
. tests/integration/lib/debroot.sh
command -v systemd-nspawn >/dev/null || fail "systemd-nspawn is missing (scripts/deps.sh installs systemd-container)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (scripts/deps.sh installs it)"

deb=$(deb_built)
R=$T/root
debroot_mount "$R"
cp "$deb" "$R/tmp/brig.deb"
mount --bind /proc "$R/proc"
chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dpkg -i /tmp/brig.deb >"$T/dpkg.log" 2>&1 ||
	{ cat "$T/dpkg.log" >&2; fail "dpkg -i"; }
umount "$R/proc"

# The jails: one busybox tree for all; each hook writes a line to /marks.
mk_busybox_root "$R/srv/jail"
jail() {
	f=$R/etc/brig/jail.conf.d/$1.conf
	{
		printf '%s {\n\tpath = "/srv/jail";\n\tpersist;\n' "$1"
		printf '\texec.poststart = "echo started $name >> /marks/log";\n'
		printf '\texec.poststop = "echo stopped $name >> /marks/log";\n'
		shift
		for p in "$@"; do printf '\t%s;\n' "$p"; done
		printf '}\n'
	} >"$f"
}
jail web 'depend = db'
jail db
jail tools noboot
jail bad 'exec.start = "false"'
# For `systemctl reload brig` (the probe moves them in): web changed, a
# new jail late.
jail web 'depend = db' 'allow.mlock'
mv "$R/etc/brig/jail.conf.d/web.conf" "$R/etc/brig/web.conf.new"
jail web 'depend = db'
jail late
mv "$R/etc/brig/jail.conf.d/late.conf" "$R/etc/brig/late.conf.new"

# Once brig.service has run: what brig and systemd say, then poweroff.
cat >"$R/etc/systemd/system/brig-test-probe.service" <<'EOU'
[Unit]
Description=brig test probe
After=brig.service
Wants=brig.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'brig ls >/marks/ls 2>&1; systemctl is-active brig.service >/marks/active; systemctl status --no-pager -l -n 50 brig.service >/marks/status 2>&1; true'
ExecStart=/bin/sh -c 'cd /etc/brig && mv web.conf.new jail.conf.d/web.conf && mv late.conf.new jail.conf.d/late.conf && systemctl reload brig.service; brig ls >/marks/ls2 2>&1; journalctl --no-pager -u brig.service >/marks/journal 2>&1; true'
ExecStartPost=/bin/systemctl --no-block poweroff

[Install]
WantedBy=multi-user.target
EOU
ln -s /etc/systemd/system/brig-test-probe.service "$R/etc/systemd/system/multi-user.target.wants/"
# Nothing else worth waiting for at boot.
ln -sf /dev/null "$R/etc/systemd/system/console-getty.service"
ln -sf /dev/null "$R/etc/systemd/system/systemd-networkd-wait-online.service"

M=$T/marks
mkdir -p "$M"
# The machine gets the unified cgroup hierarchy (cgroup2), as a Debian 12
# host has by default. On a host with cgroup v1 hierarchies, nspawn mounts
# the controllers read-only inside the machine and brig's jails fail with
# "cgroup /sys/fs/cgroup/cpu/brig: Read-only file system". On cgroup2 a
# jail's device allow-list is a BPF program, and nspawn refuses bpf(2) and
# CAP_BPF to its machine unless told ("loading the device program:
# Operation not permitted"); a real host has neither limit.
set +e
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 timeout -k 10 300 systemd-nspawn --quiet --boot --directory="$R" --register=no --keep-unit \
	--system-call-filter=bpf --capability=CAP_BPF \
	--private-network --bind="$M:/marks" --machine=brig-boot-test --console=pipe \
	>"$T/nspawn.log" 2>&1 </dev/null
rc=$?
set -e
if [ ! -f "$M/ls" ]; then
	# The machine did not get as far as the probe: say exactly why.
	why=$(grep -v '^$' "$T/nspawn.log" | head -n 15)
	if [ ! -s "$M/log" ] && ! grep -q 'Reached target\|Started brig' "$T/nspawn.log"; then
		skip "systemd-nspawn cannot boot here (exit $rc): $why"
	fi
	fail "the machine booted but the probe did not run (nspawn exit $rc): $(tail -n 40 "$T/nspawn.log")"
fi
log=$(cat "$M/log" 2>/dev/null || true)
line() { grep -n "^$1\$" "$M/log" | head -n 1 | cut -d: -f1; }
[ -n "$(line 'started db')" ] && [ -n "$(line 'started web')" ] || fail "db/web did not start: $log; journal: $(cat "$M/journal"); ls: $(cat "$M/ls")"
[ "$(line 'started db')" -lt "$(line 'started web')" ] || fail "web started before db: $log"
case $log in *tools*) fail "tools (noboot) was started: $log" ;; esac
case $log in *"started bad"*) fail "bad started: $log" ;; esac
expect_grep " db " "$(cat "$M/ls")"
expect_grep " web " "$(cat "$M/ls")"
# One failing jail: the unit stays active (the others stop at poweroff),
# and the failure names the jail in the journal and in systemctl status.
expect_eq "brig.service" active "$(cat "$M/active")"
expect_grep "bad: start: exec.start: false: failed" "$(cat "$M/journal")"
expect_grep "bad: start: exec.start: false: failed" "$(cat "$M/status")"
expect_grep "status=1" "$(cat "$M/status")"
# Reload restarted web (changed), started late (new), left db alone; at
# poweroff web stopped, then db.
expect_grep " late " "$(cat "$M/ls2")"
expect_grep "web: configuration changed (allow.mlock): restarting" "$(cat "$M/journal")"
expect_eq "db and web, start to poweroff" "started db
started web
stopped web
started web
stopped web
stopped db" "$(grep -E ' (db|web)$' "$M/log")"
expect_eq "late" "started late
stopped late" "$(grep -E ' late$' "$M/log")"
expect_eq "nspawn exit" 0 "$rc"
# For the log: what the machine said.
printf '%s\n' "--- marks/log" "$log" "--- systemctl status brig" >&2
cat "$M/status" >&2
