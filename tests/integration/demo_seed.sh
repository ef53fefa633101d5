# The README's main command, end to end, with the ASan binary: the seed's
# setup (template, bridge0 with NAT, dns/db/web in depend order, rc services,
# rdr 8080 -> web:80, TCP/UDP between jails, snapshot, stop, nothing left).
. tests/integration/lib/common.sh
BRIG_DEMO_SANDBOX=1 BRIG="$BRIG" sh examples/demo.sh >"$T/demo.log" 2>&1 || {
	cat "$T/demo.log"
	fail "make demo failed"
}
cat "$T/demo.log"
log=$(cat "$T/demo.log")
expect_grep 'hello from the web jail' "$log"
expect_grep 'db: ready' "$log"
expect_grep 'lease of 10.10.0.2[0-9][0-9] obtained from 10.10.0.10' "$log"
expect_grep 'dns: created' "$log"
expect_grep 'interfaces: lo up0 bridge0  (the uplink stays' "$log"
expect_grep 'Name:[[:space:]]*db.demo' "$log"
expect_grep 'jail rules: 0' "$log"
expect_grep 'jail mounts: 0 (the thin roots stay at their paths, as ZFS clones do: 3)' "$log"
expect_grep 'running: 0' "$log"
expect_grep 'jail cgroups: 0 ' "$log"
# brig doctor: the host and the three jails all OK (the demo stops at a
# command that fails), web's rdr found listened on and answering.
expect_grep '^ *OK   state    run directory' "$log"
expect_grep '^ *OK   service  rdr "tcp 8080 80" (IPv4): a tcp socket on the jail.s port 80' "$log"
expect_grep '^ *OK   rdr      rdr "tcp 8080 80" (IPv4): from the host, through its port, tcp 127.0.0.1:8080' "$log"
printf '%s\n' "$log" | sed -n '/brig doctor$/,/snapshot of web/p' | grep -E '^ +(FAIL|WARN) ' &&
	fail "brig doctor in the demo: not all OK"
# depend order: dns before db before web, and the reverse on stop
printf '%s\n' "$log" | grep -E '^ +(dns|db|web): (created|removed)$' | tr -d ' ' | tr '\n' ' ' >"$T/order"
expect_eq "start/stop order" "dns:created db:created web:created web:removed db:removed dns:removed " "$(cat "$T/order")"
