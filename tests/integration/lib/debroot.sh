# Sourced by the *_slow package tests (after common.sh): a Debian root
# cached under /var/cache/brig-test (debootstrap'd on first use, reused
# after; BRIG_TEST_CACHE moves it), mounted copy-on-write for one test;
# and the .deb of this tree (make deb, rebuilt only when a source changed).
# The tests that source it are host-network: debootstrap and make deb's
# apt-get reach the Debian mirror.
DEBROOT_CACHE=${BRIG_TEST_CACHE:-/var/cache/brig-test}

# The first Debian mirror of apt's sources, as debootstrap wants it.
debroot_mirror() {
	m=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$m" ] || m=$(sed -n 's/^deb  *\(http[^ ]*\/debian\) .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

# debroot_cached: prints the cached root's path, building it first if
# needed (one builder at a time: a lock beside it). A minimal Debian that
# boots with systemd and has brig's run-time libraries.
debroot_cached() {
	. /etc/os-release
	suite=${VERSION_CODENAME:-bookworm}
	c=$DEBROOT_CACHE/$suite-root
	mkdir -p "$DEBROOT_CACHE"
	(
		flock 9
		if [ ! -f "$c/.brig-test-complete" ]; then
			rm -rf "$c.tmp" "$c"
			debootstrap --variant=minbase \
				--include=systemd,systemd-sysv,dbus,libmnl0,libnftables1,zlib1g,libbz2-1.0,busybox-static \
				"$suite" "$c.tmp" "$(debroot_mirror)" >"$DEBROOT_CACHE/debootstrap.log" 2>&1 || {
				tail -n 20 "$DEBROOT_CACHE/debootstrap.log" >&2
				exit 1
			}
			# No getty on a console nobody reads; the machine id is
			# made at each boot.
			rm -f "$c.tmp/etc/machine-id"
			touch "$c.tmp/.brig-test-complete"
			mv "$c.tmp" "$c"
		fi
	) 9>"$DEBROOT_CACHE/lock" || fail "debootstrap $suite failed (log: $DEBROOT_CACHE/debootstrap.log)"
	echo "$c"
}

# debroot_mount DIR: the cached root at DIR, copy-on-write (an overlay
# whose upper layer is in $T): the cache is never changed by a test.
debroot_mount() {
	lower=$(debroot_cached)
	mkdir -p "$1" "$T/ovl-upper-$$" "$T/ovl-work-$$"
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$T/ovl-upper-$$,workdir=$T/ovl-work-$$" "$1" ||
		fail "cannot mount an overlay of $lower"
}

# deb_built: prints the path of this tree's .deb, running `make deb` when
# there is none or a source is newer.
deb_built() {
	d=$(ls "$BUILD"/deb/brig_*.deb 2>/dev/null | head -n 1)
	if [ -z "$d" ] || [ -n "$(find Makefile debian dist man src -newer "$d" -type f | head -n 1)" ]; then
		make -s --no-print-directory BUILD="$BUILD" deb >"$T/make-deb.log" 2>&1 ||
			{ tail -n 30 "$T/make-deb.log" >&2; fail "make deb failed"; }
		d=$(ls "$BUILD"/deb/brig_*.deb | head -n 1)
	fi
	echo "$d"
}
