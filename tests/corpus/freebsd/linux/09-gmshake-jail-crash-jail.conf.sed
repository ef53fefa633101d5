# daemon(8) running nc(1) in the background: busybox nc, backgrounded.
s|/usr/sbin/daemon /usr/bin/nc -l 0.0.0.0 9999|nc -l -p 9999 </dev/null >/dev/null 2>\&1 \&|
