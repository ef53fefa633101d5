# The Debian package (issue 15, item 6): `make deb` builds it lintian-clean;
# installed into a Debian root (debootstrap'd once, cached, mounted
# copy-on-write; dpkg runs chrooted in this test's mount namespace, never
# on the machine's own dpkg database): install starts nothing, an upgrade
# leaves a running jail alone, remove stops it, purge removes /etc/brig
# and keeps a /var/lib/brig that holds data.
# brig-test: host-network
. tests/integration/lib/common.sh
. tests/integration/lib/debroot.sh
command -v debootstrap >/dev/null || fail "debootstrap is missing (scripts/deps.sh installs it)"
command -v dpkg-buildpackage >/dev/null || fail "dpkg-dev is missing (scripts/deps.sh installs it)"

deb=$(deb_built)
grep '^E:' "$BUILD/deb/lintian.txt" && fail "lintian errors"
grep '^W:' "$BUILD/deb/lintian.txt" >&2 || true

R=$T/root
debroot_mount "$R"
mount --bind /proc "$R/proc"
mount --rbind /sys "$R/sys"
mount --rbind /dev "$R/dev"
mount -t tmpfs tmpfs "$R/run"
# brig in the root uses this test's run directory (its path recreated
# inside): its cgroups are the test's, which run-one.sh checks.
mkdir -p "$R$BRIG_RUNDIR"
in_root() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin BRIG_RUNDIR="$BRIG_RUNDIR" "$@"
}
installed_version() { in_root dpkg-query -W -f='${Status} ${Version}' brig 2>/dev/null || true; }

# Install: files where Debian wants them, the examples as conffiles, the
# unit enabled, no jail started.
cp "$deb" "$R/tmp/brig.deb"
expect_rc 0 in_root dpkg -i /tmp/brig.deb
expect_eq "installed" "install ok installed 0.1" "$(installed_version)"
for f in /usr/sbin/brig /usr/sbin/jail /usr/sbin/jls /usr/sbin/jexec /lib/systemd/system/brig.service \
	/lib/systemd/system/brig@.service /usr/share/man/man8/brig.8.gz /usr/share/man/man8/jexec.8.gz \
	/usr/share/man/man5/brig.conf.5.gz /usr/share/bash-completion/completions/brig \
	/usr/share/zsh/vendor-completions/_brig /usr/share/fish/vendor_completions.d/brig.fish; do
	[ -e "$R$f" ] || fail "not installed: $f"
done
[ -d "$R/etc/brig/jail.conf.d" ] && [ -d "$R/var/lib/brig" ] || fail "no /etc/brig/jail.conf.d or /var/lib/brig"
expect_eq "conffiles" "/etc/brig/jail.conf
/etc/brig/networks.conf" "$(in_root dpkg-query -W -f='${Conffiles}\n' brig | awk 'NF {print $1}')"
expect_eq "brig.service enabled" /lib/systemd/system/brig.service \
	"$(readlink "$R/etc/systemd/system/multi-user.target.wants/brig.service")"
expect_rc 0 in_root brig config check
expect_rc 0 in_root brig --version
expect_eq "jails after install" "" "$(ls "$R$BRIG_RUNDIR")"

# A running jail, and an edited example.
mk_busybox_root "$R/srv/web"
printf 'web {\n\tpath = "/srv/web";\n\tpersist;\n}\n' >"$R/etc/brig/jail.conf.d/web.conf"
echo '# edited by the admin' >>"$R/etc/brig/jail.conf"
expect_rc 0 in_root brig start web
jstate "$R$BRIG_RUNDIR/web/state" obj cgroup >"$T/cgroups"
cp "$R$BRIG_RUNDIR/web/state" "$T/state-before"
init=$(jstate "$T/state-before" init)
[ -n "$init" ] && kill -0 "$init" || fail "web's init does not run"

# Upgrade to a newer version (the same package, its version bumped): the
# jail keeps running, untouched; the edited conffile is kept, unasked.
dpkg-deb -R "$deb" "$T/pkg"
sed -i 's/^Version: .*/Version: 0.1+test1/' "$T/pkg/DEBIAN/control"
dpkg-deb -b "$T/pkg" "$R/tmp/brig2.deb" >/dev/null
expect_rc 0 in_root dpkg -i /tmp/brig2.deb
expect_eq "upgraded" "install ok installed 0.1+test1" "$(installed_version)"
kill -0 "$init" || fail "the upgrade ended web's init"
cmp -s "$T/state-before" "$R$BRIG_RUNDIR/web/state" || fail "the upgrade changed web's state"
expect_rc 0 in_root brig ls
expect_grep " web " "$OUT"
expect_grep '^# edited by the admin$' "$(cat "$R/etc/brig/jail.conf")"
expect_rc 0 in_root brig exec web true

# Remove: the jail is stopped (nothing could stop it without brig), the
# configuration stays.
expect_rc 0 in_root dpkg -r brig
kill -0 "$init" 2>/dev/null && fail "remove left web running"
[ ! -e "$R$BRIG_RUNDIR/web" ] || fail "remove left web's state"
for d in $(cat "$T/cgroups"); do [ ! -e "$d" ] || fail "remove left cgroup $d"; done
# brig's own group (kept when its last jail stops) goes with brig.
left=$(ls -d /sys/fs/cgroup/*/"$("$BRIG" _cgroup-group)" 2>/dev/null || true)
[ -z "$left" ] || fail "remove left brig's group: $left"
[ ! -e "$R/usr/sbin/brig" ] || fail "remove left /usr/sbin/brig"
[ -f "$R/etc/brig/jail.conf" ] && [ -f "$R/etc/brig/jail.conf.d/web.conf" ] || fail "remove took /etc/brig"

# Purge: /etc/brig goes whole; /var/lib/brig stays while it holds data.
mkdir -p "$R/var/lib/brig/templates/base"
echo data >"$R/var/lib/brig/templates/base/file"
expect_rc 0 in_root dpkg -P brig
[ ! -e "$R/etc/brig" ] || fail "purge left /etc/brig: $(ls -R "$R/etc/brig")"
[ -f "$R/var/lib/brig/templates/base/file" ] || fail "purge removed the admin's templates"
[ ! -e "$R/etc/systemd/system/multi-user.target.wants/brig.service" ] || fail "purge left the unit enabled"
expect_eq "purged" "" "$(installed_version | grep installed || true)"
# ... and an empty /var/lib/brig goes too.
rm -r "$R/var/lib/brig/templates"
expect_rc 0 in_root dpkg -i /tmp/brig.deb
expect_rc 0 in_root dpkg -P brig
[ ! -e "$R/var/lib/brig" ] || fail "purge left an empty /var/lib/brig"
[ ! -e "$R/etc/brig" ] || fail "purge left /etc/brig"
