# sysrc(8) in the jail appends to /etc/rc.conf.
s|"sysrc \(.*\)";|"echo \1 >> /etc/rc.conf";|
