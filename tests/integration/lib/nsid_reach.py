# nsid_reach.py IFNAME [del|new|set]: from inside a network namespace, try
# to act in a namespace that is not its own: the peer namespace of one of
# its veths (the host's, for a jail's veth), named by the id the kernel
# gives it here (IFLA_LINK_NETNSID of a link dump), through
# IFLA_TARGET_NETNSID: del (the default) deletes its interface IFNAME
# (RTM_DELLINK), new creates a veth pair named IFNAME there (RTM_NEWLINK),
# set takes IFNAME there up (RTM_NEWLINK on the existing link). The kernel allows it to a process
# with CAP_NET_ADMIN in the user namespace that owns the target: CAP_NET_ADMIN
# of the host's user namespace reaches the host's stack from any namespace.
# Exit 0: deleted (the host was reached); 3: refused (errno printed);
# 2: no peer namespace to name.
import socket
import struct
import sys

RTM_DELLINK, RTM_GETLINK = 17, 18
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, NLM_F_CREATE, NLM_F_EXCL = 16, 0x400, 0x200
IFLA_IFNAME, IFLA_LINK_NETNSID, IFLA_TARGET_NETNSID = 3, 37, 46
IFLA_LINKINFO, IFLA_INFO_KIND, IFF_UP = 18, 1, 1


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


def msg(kind, flags, body):
    return struct.pack("IHHII", 16 + len(body), kind, flags, 1, 0) + body


s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.bind((0, 0))
ifi = struct.pack("BxHiII", 0, 0, 0, 0, 0)
s.send(msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, ifi))
nsid, done = None, False
while not done:
    d = s.recv(65536)
    o = 0
    while o < len(d):
        n, kind = struct.unpack_from("IH", d, o)
        if kind in (NLMSG_DONE, NLMSG_ERROR):
            done = True
            break
        a = o + 32
        while a < o + n:
            an, at = struct.unpack_from("HH", d, a)
            if at == IFLA_LINK_NETNSID:
                nsid = struct.unpack_from("i", d, a + 4)[0]
            a += (an + 3) & ~3
        o += (n + 3) & ~3
if nsid is None:
    print("no peer namespace id")
    sys.exit(2)
mode = sys.argv[2] if len(sys.argv) > 2 else "del"
name = attr(IFLA_IFNAME, sys.argv[1].encode() + b"\0")
target = attr(IFLA_TARGET_NETNSID, struct.pack("i", nsid))
if mode == "del":
    kind, flags, body = RTM_DELLINK, 0, ifi + name + target
elif mode == "new":
    kind, flags = RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL
    body = ifi + name + target + attr(IFLA_LINKINFO, attr(IFLA_INFO_KIND, b"veth\0"))
else:
    kind, flags = RTM_NEWLINK, 0
    body = struct.pack("BxHiII", 0, 0, 0, IFF_UP, IFF_UP) + name + target
s.send(msg(kind, NLM_F_REQUEST | NLM_F_ACK | flags, body))
err = -struct.unpack_from("i", s.recv(65536), 16)[0]
print("%s in peer namespace %d: errno %d" % (mode, nsid, err))
sys.exit(0 if err == 0 else 3)
