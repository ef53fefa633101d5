# "ifconfig epair create" prints the new pair's a-side; Bastille renames
# both ends: on Linux the pair is made with those names at once.
s|epair0=\\\$(ifconfig epair create) \&\& ifconfig \\\${epair0} up name \([^ ]*\) \&\& ifconfig \\\${epair0%a}b up name \([^ "]*\)|ip link add \1 type veth peer name \2 \&\& ip link set \1 up \&\& ip link set \2 up|
