# devfs(5) mounted by hand: a tmpfs on Linux; umount is the same.
s|/sbin/mount -t devfs -o ruleset=4 devfs \$path/dev|mount -t tmpfs devfs $path/dev|
s|/sbin/umount|umount|
