# seed-jail-epair.sh for Linux (ip(8)): "ifconfig epair create" and the two
# renames become one veth pair with both names; addm/destroy/up as common.sed.
s|if ifconfig "\([^"]*\)" >/dev/null 2>&1|if ip link show "\1" >/dev/null 2>\&1|
s|ifconfig "\([^"]*\)" up$|ip link set "\1" up|
s|ifconfig "\$bridge" addm "\([^"]*\)"|ip link set "\1" master "$bridge"|
s|base="\$(ifconfig epair create .*|ip link add "epair_${short}a" type veth peer name "epair_${short}b"|
/ifconfig "\${base}[ab]" name/d
s|ifconfig "\([^"]*\)" destroy|ip link del "\1"|
