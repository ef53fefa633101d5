# A compose network without a declared subnet gets a 10.89.X.0/24 that
# no link of the host and no bridge of networks.conf(.d) uses (another
# project's), the project's own bridge aside (its earlier import); the
# import says which it chose and what it passed over.
. tests/integration/lib/common.sh
C=$BRIG_CONFDIR
mkdir -p "$T/sa"
cat >"$T/sa/compose.yml" <<'YML'
services:
  a:
    image: bb
YML
subnet() { printf '%s\n' "$OUT" | sed -n 's/^network default: bridge sa_default, subnet 10\.89\.\([0-9]*\)\.0\/24 allocated.*/\1/p'; }

expect_rc 0 $BRIG compose import "$T/sa/compose.yml" --dry-run
x=$(subnet)
[ -n "$x" ] || fail "no allocated subnet in: $OUT"

# A link of the host in it: the next one.
ip link add csub0 type bridge
ip addr add "10.89.$x.7/24" dev csub0
expect_rc 0 $BRIG compose import "$T/sa/compose.yml" --dry-run
y=$(subnet)
expect_eq "subnet past the host's link" $(((x + 1) % 256)) "$y"
expect_grep "^network default: bridge sa_default, subnet 10.89.$y.0/24 allocated (10.89.$x.0/24 overlaps 10.89.$x.7/24 of interface csub0 of the host)$" "$OUT"

# Another project's bridge (networks.conf.d, not made yet): past it too.
mkdir -p "$C/networks.conf.d"
printf 'ob {\n\tip4.addr = "10.89.%s.1/24";\n}\n' "$y" >"$C/networks.conf.d/other.conf"
expect_rc 0 $BRIG compose import "$T/sa/compose.yml" --dry-run
z=$(subnet)
expect_eq "subnet past another project's bridge" $(((y + 1) % 256)) "$z"
expect_grep "^network default: bridge sa_default, subnet 10.89.$z.0/24 allocated (10.89.$x.0/24 overlaps" "$OUT"

# The project's own networks file (an earlier import's): kept as it is.
printf 'sa_default {\n\tip4.addr = "10.89.%s.1/24";\n\tnat;\n\tisolate;\n}\n' "$z" >"$C/networks.conf.d/sa.conf"
expect_rc 0 $BRIG compose import "$T/sa/compose.yml" --dry-run
expect_eq "the project's own subnet" "$z" "$(subnet)"

# A declared subnet the host uses: refused where it is declared.
cat >"$T/sa/compose.yml" <<YML
services:
  a: {image: bb}
networks:
  default:
    ipam: {config: [{subnet: 10.89.$x.0/25}]}
YML
expect_rc 1 $BRIG compose import "$T/sa/compose.yml" --dry-run
expect_grep "compose.yml:5:30: networks.default.ipam.config.subnet: 10.89.$x.0/25 overlaps 10.89.$x.7/24 of interface csub0 of the host" "$ERR"
ip link del csub0
