# quBSD's hook scripts are not part of the file.
s|/usr/local/etc/quBSD/exec\.[a-z]* \$name|true|
