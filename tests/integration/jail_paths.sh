# Bad roots and mounts: refused with a clear message before anything is
# made; symlinks the jail plants are never followed onto the host.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

try() {	# try CONF-BODY EXPECTED-MESSAGE: start must fail with it (and say
	# nothing else: the jail's first process reports through brig), cleanly
	conf "j { persist; $1 }"
	expect_rc 1 "$BRIG" start j
	expect_grep "$2" "$ERR"
	expect_eq "lines on stderr" 1 "$(wc -l <"$T/err")"
	assert_clean
}

mkdir -p "$T/notroot" && touch "$T/file" && ln -s "$ROOT" "$T/link"
try "path = \"rel/root\";" "j: start: path: \"rel/root\": not an absolute path"
try "path = \"$T/missing\";" "j: start: path: $T/missing: No such file or directory"
try "path = \"$T/file\";" "j: start: path: $T/file: not a directory"
try "path = \"$T/link\";" "j: start: path: $T/link: is a symlink"
# A shared-IP jail's interface must exist (nothing is left of the start).
# A shared-IP jail's interface that does not exist (in the userns pass,
# where every jail is a userns one, refused before: it has no network of
# its own).
if [ -n "${BRIG_TEST_USERNS:-}" ]; then
	try "path = \"$ROOT\"; ip4.addr = \"nosuch0|10.1.1.1\";" "j: start: userns: needs a network of its own"
else
	try "path = \"$ROOT\"; ip4.addr = \"nosuch0|10.1.1.1\";" "j: start: ifaddr: interface nosuch0 (for nosuch0|10.1.1.1): No such device"
fi

# fstab errors name the line; mount errors the entry.
mkdir -p "$ROOT/mnt"
printf '# mounts\n\n/nonexistent /mnt nullfs ro 0 0\n' >"$T/fstab"
try "path = \"$ROOT\"; mount.fstab = \"$T/fstab\";" "j: start: mount.fstab $T/fstab: line 3: /nonexistent: No such file or directory"
printf 'x /mnt zfs rw 0 0\n' >"$T/fstab"
try "path = \"$ROOT\"; mount.fstab = \"$T/fstab\";" "j: start: mount.fstab $T/fstab: line 1: file system type \"zfs\" is not supported"
try "path = \"$ROOT\"; mount = \"tmpfs /nowhere tmpfs rw 0 0\";" "j: start: mount: entry 1: /nowhere: No such file or directory"
# Over the root: a nullfs, and only as the first mount.
try "path = \"$ROOT\"; mount = \"tmpfs $ROOT/mnt tmpfs rw 0 0\", \"$T/notroot $ROOT nullfs ro 0 0\";" "j: start: mount: entry 2: a mount over the jail's root must be its first mount"
try "path = \"$ROOT\"; mount = \"tmpfs $ROOT tmpfs rw 0 0\";" "j: start: mount: entry 1: $ROOT: only a nullfs can be mounted over the jail's root"
# An fstab that is a FIFO is refused, not waited on (bounded: the old code
# waited for a writer for ever); a symlink to a real one is the admin's.
mkfifo "$T/fstab.fifo"
conf "j { persist; path = \"$ROOT\"; mount.fstab = \"$T/fstab.fifo\"; }"
expect_rc 1 timeout 20 "$BRIG" start j
expect_grep "j: start: mount.fstab: $T/fstab.fifo: a FIFO, not a regular file" "$ERR"
assert_clean
printf 'tmpfs /mnt tmpfs rw 0 0\n' >"$T/fstab.real"
ln -s "$T/fstab.real" "$T/fstab.link"
conf "j { persist; path = \"$ROOT\"; mount.fstab = \"$T/fstab.link\"; }"
expect_rc 0 "$BRIG" start j
expect_rc 0 "$BRIG" stop j
assert_clean

# Planted symlinks: /proc, /dev, /sys, and a mount point under a symlink.
mkdir -p "$T/victim"
for d in proc dev sys; do
	rm -rf "$ROOT/$d"
	ln -s "$T/victim" "$ROOT/$d"
	try "path = \"$ROOT\"; mount.devfs;" "/$d: a symlink in the jail root (refused: it could lead out of the jail)"
	rm "$ROOT/$d"
	mkdir "$ROOT/$d"
done
rmdir "$ROOT/mnt"
ln -s "$T/victim" "$ROOT/mnt"
try "path = \"$ROOT\"; mount = \"tmpfs $ROOT/mnt/x tmpfs rw 0 0\";" "/mnt/x: a symlink in the jail root"
# The same with the openat2-less fallback walk.
BRIG_NO_OPENAT2=1 try "path = \"$ROOT\"; mount = \"tmpfs /mnt/x tmpfs rw 0 0\";" "/mnt/x: a symlink in the jail root"
rm "$ROOT/mnt"
[ -z "$(ls "$T/victim")" ] || fail "something was made in the symlinks' target"
expect_eq "victim untouched" "$MOUNTS0" "$(wc -l </proc/self/mountinfo)"

# The fallback walk mounts fine where there is no symlink.
mkdir -p "$ROOT/mnt/x"
conf "j { persist; path = \"$ROOT\"; mount = \"tmpfs $ROOT/mnt/x tmpfs rw,size=1m 0 0\"; mount.devfs; }"
BRIG_NO_OPENAT2=1 expect_rc 0 "$BRIG" start j
remember_cgroups j
expect_rc 0 "$BRIG" exec j sh -c 'grep " /mnt/x " /proc/self/mountinfo; ls /dev/null'
expect_grep "/mnt/x .* - tmpfs" "$OUT"
expect_rc 0 "$BRIG" stop j

# path = / is the host's tree in namespaces of its own.
conf "j { persist; path = \"/\"; }"
expect_rc 0 "$BRIG" start j
remember_cgroups j
expect_rc 0 "$BRIG" exec j sh -c 'hostname; echo $$; test -d /tmp'
expect_eq "path = /" "j" "$(printf '%s\n' "$OUT" | head -1)"
expect_rc 0 "$BRIG" stop j
assert_clean

# mount.masked: hidden after every mount (a file under /dev/null, a
# directory under an empty read-only tmpfs, a directory of /proc too); a
# missing path skipped; a symlink refused (its target untouched), and
# ".." too.
mkdir -p "$ROOT/srv/hidden"
echo secret >"$ROOT/etc/masked-secret"
echo inside >"$ROOT/srv/hidden/file"
conf "j { persist; path = \"$ROOT\"; mount.masked = \"/etc/masked-secret\", \"/srv/hidden\", \"/proc/fs\", \"/nowhere\"; }"
expect_rc 0 "$BRIG" start j
remember_cgroups j
expect_rc 0 "$BRIG" exec j sh -c 'echo "[$(cat /etc/masked-secret)] [$(ls /srv/hidden)] [$(ls /proc/fs)]"; touch /srv/hidden/x 2>/dev/null || echo read-only'
expect_eq "masked" "[] [] []
read-only" "$OUT"
# The hidden directories share one empty tmpfs (one superblock a jail,
# not one each): two mounts, one device.
expect_rc 0 "$BRIG" exec j sh -c 'm=$(grep -E "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /(srv/hidden|proc/fs) .* - tmpfs " /proc/self/mountinfo); echo "$m" | wc -l; echo "$m" | cut -d" " -f3 | sort -u | wc -l'
expect_eq "one tmpfs for the hidden directories" "2
1" "$OUT"
expect_rc 0 "$BRIG" stop j
assert_clean
expect_eq "the masked file itself" secret "$(cat "$ROOT/etc/masked-secret")"
echo victim >"$T/victim/file"
ln -s "$T/victim" "$ROOT/srv/link"
try "path = \"$ROOT\"; mount.masked = \"/srv/link\";" "mount.masked: /srv/link: .*symlink"
try "path = \"$ROOT\"; mount.masked = \"/srv/link/file\";" "mount.masked: /srv/link/file: .*symlink"
BRIG_NO_OPENAT2=1 try "path = \"$ROOT\"; mount.masked = \"/srv/link/file\";" "mount.masked: /srv/link/file: .*symlink"
try "path = \"$ROOT\"; mount.masked = \"/srv/../etc\";" "mount.masked: \"/srv/../etc\": an absolute path in the jail"
expect_eq "symlink's target untouched" victim "$(cat "$T/victim/file")"
rm -r "$ROOT/srv/link" "$ROOT/srv/hidden" "$ROOT/etc/masked-secret"
