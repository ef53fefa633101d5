# A LAN peer of the shared-IP tests: logs the source of every datagram
# (port 5000) and connection (port 5001), IPv4 and IPv6, to argv[1] as
# "udp ADDR" / "tcp ADDR"; argv[1].ready once listening.
import select, socket, sys
log = open(sys.argv[1], "a", buffering=1)
socks = []
for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    u.bind((addr, 5000))
    t = socket.socket(fam, socket.SOCK_STREAM)
    if fam == socket.AF_INET6:
        t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 5001))
    t.listen(8)
    socks += [u, t]
open(sys.argv[1] + ".ready", "w").close()
while True:
    for s in select.select(socks, [], [])[0]:
        if s.type == socket.SOCK_DGRAM:
            _, peer = s.recvfrom(512)
            log.write("udp %s\n" % peer[0])
        else:
            c, peer = s.accept()
            log.write("tcp %s\n" % peer[0])
            c.close()
