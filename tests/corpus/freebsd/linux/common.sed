# FreeBSD network commands of jail.conf hooks, rewritten for Linux's ip(8)
# (the host's, or the busybox applet inside a jail). Applied to every file
# of the corpus before FILE.sed; ../README.md lists what each line maps.
s|/usr/sbin/jexec |jexec |g
s|ifconfig \$\([A-Za-z_][A-Za-z0-9_]*\)|ifconfig ${\1}|g
s|\(/sbin/\)\{0,1\}ifconfig lo0 127\.0\.0\.1 up|ip link set lo up|g
s|\(/sbin/\)\{0,1\}ifconfig \(bridge[0-9]*\) create up|ip link add \2 type bridge \&\& ip link set \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) create up|ip link add \2a type veth peer name \2b \&\& ip link set \2a up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) create|ip link add \2a type veth peer name \2b|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) addm \([^ ")]*\)\( up\)\{0,1\}\( private [^ ")]*\)\{0,1\}|ip link set \3 master \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) deletem \([^ ")]*\)|ip link set \3 nomaster|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) destroy|ip link del \2|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) -vnet [^ ")]*|true|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) up descr |ip link set \2 up alias |g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) description |ip link set \2 alias |g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) mtu \([0-9]*\) up|ip link set \2 mtu \3 up|g
# The link-level address (link, ether, lladdr: SIOCSIFLLADDR on FreeBSD)
# by busybox ifconfig's SIOCSIFHWADDR on an inet socket: busybox ip opens
# a packet socket to set it, refused in a jail without allow.raw_sockets.
s#\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) \(link\|ether\|lladdr\) \([^ ")]*\)#ifconfig \2 hw ether \4#g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) \(inet \)\{0,1\}\([^ ")]*\) netmask \([^ ")]*\)\( up\)\{0,1\}|ip addr add \4/\5 dev \2 \&\& ip link set \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) inet \([^ ")]*\)\( up\)\{0,1\}|ip addr add \3 dev \2 \&\& ip link set \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) \([^ ")]*/[0-9]*\)\( up\)\{0,1\}|ip addr add \3 dev \2 \&\& ip link set \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) \(\${[^ ")]*}\) up|ip addr add \3 dev \2 \&\& ip link set \2 up|g
s|\(/sbin/\)\{0,1\}ifconfig \([^ ")]*\) >|ip link show \2 >|g
s|\(/sbin/\)\{0,1\}route add \(-net \)\{0,1\}default \([^ ")]*\)|ip route add default via \3|g
