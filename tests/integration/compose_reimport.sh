# Importing again restores what the import replaced in a jail: a `dns`
# taken out of the file puts back the jail's own /etc/resolv.conf (the
# template's, as it was before the first import wrote it), and says so;
# an `extra_hosts` taken out leaves /etc/hosts without its lines; the
# same file again changes nothing. No jail runs.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
. tests/integration/lib/compose.sh
S=$BRIG_STOREDIR
mkdir -p "$T/re"

cat >"$T/re/compose.yml" <<'YML'
services:
  app:
    image: bb
    command: ["true"]
    dns: [10.77.9.53]
    dns_search: example.org
    extra_hosts: ["legacy:10.77.9.9"]
YML
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
R=$S/jails/re_app/root/etc
expect_grep '^nameserver 10.77.9.53$' "$(cat "$R/resolv.conf")"
expect_grep '^10.77.9.9	legacy$' "$(cat "$R/hosts")"
tpl=$(cat "$S/templates/bb/root/etc/resolv.conf" 2>/dev/null || echo "(none)")

# The same file again: nothing changes.
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep '^project re: 1 jails, unchanged$' "$OUT"

# dns and extra_hosts taken out: the template's resolv.conf is back.
cat >"$T/re/compose.yml" <<'YML'
services:
  app:
    image: bb
    command: ["true"]
YML
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep '^restored re_app/etc/resolv.conf ' "$OUT"
expect_grep '^project re: 1 jails, updated$' "$OUT"
now=$(cat "$R/resolv.conf" 2>/dev/null || echo "(none)")
expect_eq "resolv.conf of re_app after dns is taken out" "$tpl" "$now"
! grep -q legacy "$R/hosts" || fail "extra_hosts taken out left its line in /etc/hosts"
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep '^project re: 1 jails, unchanged$' "$OUT"

# dns again, then out again: restored again (the original kept).
cat >"$T/re/compose.yml" <<'YML'
services:
  app:
    image: bb
    command: ["true"]
    dns_opt: [ndots:2]
YML
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep '^options ndots:2$' "$(cat "$R/resolv.conf")"
sed -i '/dns_opt/d' "$T/re/compose.yml"
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
now=$(cat "$R/resolv.conf" 2>/dev/null || echo "(none)")
expect_eq "resolv.conf of re_app after dns_opt is taken out" "$tpl" "$now"

# A jail whose resolv.conf is a symlink (as systemd-resolved's): the
# import writes a file in its place and puts the link back, unfollowed.
ln -sfn ../run/resolv.conf "$R/resolv.conf"
printf '    dns: [10.77.9.54]\n' >>"$T/re/compose.yml"
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
[ ! -L "$R/resolv.conf" ] || fail "the import wrote through the jail's symlink"
expect_grep '^nameserver 10.77.9.54$' "$(cat "$R/resolv.conf")"
sed -i '/dns:/d' "$T/re/compose.yml"
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep '^restored re_app/etc/resolv.conf (the jail.s own symlink to ../run/resolv.conf' "$OUT"
expect_eq "re_app's resolv.conf link" ../run/resolv.conf "$(readlink "$R/resolv.conf")"

# A resolv.conf an earlier brig's import wrote, with no copy kept of the
# jail's own: said, and left as it is.
rm "$R/resolv.conf"
printf '# Made by `brig compose import` (project re, service app).\nnameserver 10.77.9.55\n' >"$R/resolv.conf"
expect_rc 0 $BRIG compose import "$T/re/compose.yml" --images "$T/images"
expect_grep "jail re_app: /etc/resolv.conf is an earlier import's, which kept no copy" "$ERR"
expect_grep '^nameserver 10.77.9.55$' "$(cat "$R/resolv.conf")"
expect_rc 0 $BRIG destroy re_app
