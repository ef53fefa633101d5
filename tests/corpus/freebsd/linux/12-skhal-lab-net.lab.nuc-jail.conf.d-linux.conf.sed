# The host script rc.jail is not published with the file.
s|/bin/sh /usr/local/etc/rc.jail [^"]*|true|
