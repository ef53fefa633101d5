# devfs(5) mounted by hand with ruleset 4: on Linux a tmpfs holding the
# device the jail's rc needs (/dev/null); umount is the same.
s|/sbin/mount -t devfs -o ruleset=4 devfs \$path/dev|mount -t tmpfs devfs $path/dev \&\& mknod -m 666 $path/dev/null c 1 3|
s|/sbin/umount|umount|
