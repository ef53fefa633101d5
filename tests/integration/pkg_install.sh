# make install / make uninstall with DESTDIR and PREFIX: every file
# installed is in the manifest, uninstall removes exactly those; the
# systemd units pass `systemd-analyze verify` (issue 15, item 6).
. tests/integration/lib/common.sh
[ -x "$BUILD/brig" ] || skip "$BUILD/brig is not built (make check builds it)"
# -o: never rebuild brig from a test.
mk() { make -s --no-print-directory -o "$BUILD/brig" BUILD="$BUILD" "$@"; }
files() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort); }

for prefix in /usr/local /usr /opt/brig; do
	D=$T/dest
	rm -rf "$D"
	mk install DESTDIR="$D" PREFIX=$prefix >/dev/null
	mk manifest PREFIX=$prefix | sort >"$T/manifest"
	files "$D" >"$T/installed"
	cmp -s "$T/manifest" "$T/installed" ||
		fail "PREFIX=$prefix: installed files differ from the manifest: $(diff "$T/manifest" "$T/installed")"
	[ -x "$D$prefix/sbin/brig" ] || fail "no brig"
	for fe in jail jls jexec rctl brig-oci; do
		expect_eq "$fe link" brig "$(readlink "$D$prefix/sbin/$fe")"
		expect_eq "$fe.8 link" brig.8 "$(readlink "$D$prefix/share/man/man8/$fe.8")"
	done
	grep -qx "ExecStart=$prefix/sbin/brig start --boot" "$D$prefix/lib/systemd/system/brig.service" ||
		fail "brig.service: ExecStart is not $prefix/sbin/brig"
	grep -q '@SBINDIR@' "$D$prefix/lib/systemd/system/"*.service && fail "unsubstituted @SBINDIR@"

	# A foreign file beside brig's, and an edited example: both survive an
	# uninstall; a reinstall keeps the edit.
	echo other >"$D$prefix/sbin/other"
	echo 'web { path = "/"; }' >"$D/etc/brig/jail.conf"
	mk install DESTDIR="$D" PREFIX=$prefix >/dev/null
	expect_eq "edited jail.conf kept" 'web { path = "/"; }' "$(cat "$D/etc/brig/jail.conf")"
	mk uninstall DESTDIR="$D" PREFIX=$prefix >/dev/null
	expect_eq "left after uninstall" "/etc/brig/jail.conf
$prefix/sbin/other" "$(files "$D")"
	[ -d "$D/etc/brig/jail.conf.d" ] && fail "empty jail.conf.d left"
	# A fresh install, then uninstall: nothing left, /etc/brig gone.
	rm -rf "$D"
	mk install DESTDIR="$D" PREFIX=$prefix >/dev/null
	mk uninstall DESTDIR="$D" PREFIX=$prefix >/dev/null
	expect_eq "left after uninstall" "" "$(files "$D")"
	[ -e "$D/etc/brig" ] && fail "/etc/brig left"
done

# The installed examples load: brig reads a comment-only configuration.
D=$T/dest
mk install DESTDIR="$D" PREFIX=/usr >/dev/null
expect_rc 0 env BRIG_CONFDIR="$D/etc/brig" "$BRIG" config check
expect_rc 0 env BRIG_CONFDIR="$D/etc/brig" "$BRIG" net ls

# The units, as systemd reads them: installed where ExecStart's path is
# real (PREFIX without DESTDIR), with the machine's units for the targets
# they name. verify warns about anything it does not understand but still
# exits 0: stderr must be empty too.
if command -v systemd-analyze >/dev/null && [ -d /lib/systemd/system ]; then
	P=$T/prefix
	mk install PREFIX="$P" SYSCONFDIR="$P/etc" >/dev/null
	U=$P/lib/systemd/system
	expect_rc 0 env SYSTEMD_UNIT_PATH="$U:" systemd-analyze verify --man=no \
		"$U/brig.service" "$U/brig@web.service"
	expect_eq "systemd-analyze verify" "" "$ERR"
	# A control: verify does catch a unit that is wrong.
	sed 's/^Type=oneshot/Type=oneshoot/' "$U/brig.service" >"$T/bad.service"
	expect_rc 0 env SYSTEMD_UNIT_PATH="$U:" systemd-analyze verify --man=no "$T/bad.service"
	expect_grep "Failed to parse service type" "$ERR"
	mk uninstall PREFIX="$P" SYSCONFDIR="$P/etc" >/dev/null
	expect_eq "left after uninstall" "" "$(files "$P")"
else
	echo "pkg_install: systemd-analyze not installed: units not verified" >&2
fi
