# owner_caps.py: what else the root of a vnet jail of the host's user
# namespace might do with the capabilities it holds over its network
# namespace (the kernel gives the owner of a user namespace every
# capability in it: doc/net.md). One line per attempt, "NAME: ok" or
# "NAME: errno N":
#   packet   socket(AF_PACKET, SOCK_RAW)        (CAP_NET_RAW)
#   raw4     socket(AF_INET, SOCK_RAW, ICMP)    (CAP_NET_RAW)
#   raw6     socket(AF_INET6, SOCK_RAW, ICMPV6) (CAP_NET_RAW)
#   userns   setns() into the user namespace that owns the network
#            namespace (NS_GET_USERNS), where it would hold them all
import ctypes
import fcntl
import os
import socket

libc = ctypes.CDLL(None, use_errno=True)


def attempt(name, f):
    try:
        f()
        print(name + ": ok")
    except OSError as e:
        print("%s: errno %d" % (name, e.errno))


def userns():
    fd = os.open("/proc/self/ns/net", os.O_RDONLY)
    u = fcntl.ioctl(fd, 0xB701)  # NS_GET_USERNS
    if libc.setns(u, 0x10000000) != 0:  # CLONE_NEWUSER
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


attempt("packet", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close())
attempt("raw4", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, 1).close())
attempt("raw6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_RAW, 58).close())
attempt("userns", userns)
