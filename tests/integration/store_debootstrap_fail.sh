# A failed debootstrap says why and keeps its log (issue 15, item 7).
# debootstrap's cause is often only in its own log inside the target
# (TARGET/debootstrap/debootstrap.log, which its last words point to),
# and brig discards the target. A stand-in debootstrap on PATH fails as
# the real one does when a package's setup fails, with no network: its
# output ends with "See TARGET/debootstrap/debootstrap.log for details",
# the cause is in that file. brig must print the last lines of both and
# keep them in a log named in the message. (The real debootstrap against
# the mirror: store_debootstrap_slow.)
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
S=$BRIG_STOREDIR
grep -qs '^deb \|^Types:' /etc/apt/sources.list /etc/apt/sources.list.d/* ||
	skip "no apt sources (brig takes the mirror from them)"

mkdir -p "$T/bin"
cat >"$T/bin/debootstrap" <<'EOF'
#!/bin/sh
# Stand-in: debootstrap [--variant=V] [--include=P] SUITE TARGET MIRROR
eval "target=\${$(($# - 1))}"
echo "I: Retrieving InRelease"
echo "I: Installing core packages..."
mkdir -p "$target/debootstrap"
printf 'dpkg: error processing package base-files (--install):\n installed base-files package post-installation script subprocess returned error exit status 42\nthe-real-cause: no space left on a pretend device\n' >"$target/debootstrap/debootstrap.log"
echo "W: Failure trying to run: chroot \"$target\" dpkg --force-depends --install /var/cache/apt/archives/base-files.deb" >&2
echo "W: See $target/debootstrap/debootstrap.log for details" >&2
exit 1
EOF
chmod +x "$T/bin/debootstrap"

expect_rc 1 env PATH="$T/bin:$PATH" "$BRIG" template create deb --from debootstrap:bookworm
printf '%s\n' "$ERR"
# Its own last words, and the cause from its log.
expect_grep 'debootstrap exited with status 1; its last lines:' "$ERR"
expect_grep 'W: See .*debootstrap.log for details' "$ERR"
expect_grep 'the-real-cause: no space left on a pretend device' "$ERR"
# The log is kept, named in the message, with both.
expect_grep "the whole log is kept in $S/debootstrap-bookworm.log" "$ERR"
log="$S/debootstrap-bookworm.log"
[ -f "$log" ] || fail "no $log"
expect_grep '^# debootstrap --variant=minbase bookworm ' "$(cat "$log")"
expect_grep 'I: Installing core packages' "$(cat "$log")"
expect_grep 'the-real-cause' "$(cat "$log")"
[ "$(stat -c %a "$log")" = 600 ] || fail "the log's mode is $(stat -c %a "$log"), not 600"
# Nothing else is left.
[ ! -e "$S/templates/deb" ] || fail "a failed debootstrap left a template"
store_is_clean

# A symlink where the log would go is not followed.
ln -sf "$T/elsewhere" "$log"
expect_rc 1 env PATH="$T/bin:$PATH" "$BRIG" template create deb --from debootstrap:bookworm
[ ! -e "$T/elsewhere" ] || fail "the log followed a symlink"
expect_grep 'its log could not be kept in' "$ERR"
exit 0
