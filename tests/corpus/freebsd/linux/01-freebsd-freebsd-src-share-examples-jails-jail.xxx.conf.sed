# jng(8) (netgraph) makes ng0_xxx, an eiface bridged to em0; on Linux a
# veth pair whose host end (ngh_xxx) stands for the netgraph bridge side.
s|jng bridge xxx em0|ip link add ng0_xxx type veth peer name ngh_xxx \&\& ip link set ngh_xxx up|
s|jng shutdown xxx|ip link del ngh_xxx|
