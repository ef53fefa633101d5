# start, stop, restart, ls, exec: the basics, the messages and exit statuses,
# and nothing left behind.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "web { path = \"$ROOT\"; persist; host.hostname = \"web.example\"; }
db { path = \"$ROOT\"; persist; }
h { path = \"$ROOT\"; persist; host = inherit; }"

expect_rc 0 "$BRIG" start web
expect_eq "start message" "web: created" "$OUT"
remember_cgroups web
expect_rc 0 "$BRIG" start web
expect_eq "second start" "web: already running" "$OUT"

# ls: text and JSON.
expect_rc 0 "$BRIG" ls
expect_grep "^ *1  web  *web.example  *$ROOT  *-  *running" "$OUT"
expect_rc 0 "$BRIG" start db
remember_cgroups db
expect_rc 0 "$BRIG" ls --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert [j["name"] for j in v] == ["web", "db"], v
assert [j["jid"] for j in v] == [1, 2], v
w = v[0]
assert w["hostname"] == "web.example" and w["state"] == "running", w
assert w["ip4"] == [] and w["ip6"] == [] and w["init_pid"] > 0, w
' || fail "ls --json: $OUT"

# exec: the jail's view, exit status, users.
expect_rc 0 "$BRIG" exec web hostname
expect_eq hostname web.example "$OUT"
expect_rc 0 "$BRIG" exec 2 hostname
expect_eq "exec by JID" db "$OUT"
expect_rc 0 "$BRIG" exec web sh -c 'echo $$'
[ "$OUT" -gt 1 ] || fail "an entered shell has pid $OUT (1 is init)"
expect_rc 0 "$BRIG" exec web cat /proc/1/comm
expect_eq "the jail's PID 1" "memfd:brig-init" "$OUT"
expect_rc 7 "$BRIG" exec web sh -c 'exit 7'
expect_rc 0 "$BRIG" exec web -u nobody id -u
expect_eq "uid" 65534 "$OUT"
# A command that cannot start is reported by brig, once, and by nothing else.
expect_rc 127 "$BRIG" exec web -u bob id
expect_eq "stderr" 'brig: web: exec: user "bob": not found in the jail'"'"'s /etc/passwd' "$ERR"
expect_rc 127 "$BRIG" exec web /no/such/command
expect_eq "stderr" 'brig: web: exec: /no/such/command: No such file or directory' "$ERR"
expect_rc 1 "$BRIG" exec nosuch true
expect_grep 'nosuch: no such jail (not in the configuration, not running)' "$ERR"

# The JID is the lowest free one, and a restart keeps the others.
expect_rc 0 "$BRIG" stop web
expect_eq "stop message" "web: removed" "$OUT"
expect_rc 0 "$BRIG" stop web
expect_eq "second stop" "web: not running" "$OUT"
expect_rc 1 "$BRIG" exec web true
expect_grep 'web: not running' "$ERR"
expect_rc 0 "$BRIG" restart db
expect_eq "restart" "db: removed
db: created" "$OUT"
expect_rc 0 "$BRIG" start web
expect_rc 0 "$BRIG" ls --json
printf '%s' "$OUT" | python3 -c '
import json, sys
v = json.load(sys.stdin)
assert [(j["name"], j["jid"]) for j in v] == [("db", 1), ("web", 2)], v
' || fail "JIDs after restart: $OUT"

# host = inherit: the host's name, no UTS namespace of its own.
expect_rc 0 "$BRIG" start h
remember_cgroups h
expect_rc 0 "$BRIG" exec h hostname
expect_eq "host = inherit" "$(hostname)" "$OUT"
expect_rc 0 "$BRIG" stop h

# Unknown jails.
expect_rc 1 "$BRIG" start nosuch
expect_grep 'nosuch: no such jail in the configuration' "$ERR"
expect_rc 1 "$BRIG" stop nosuch
expect_grep 'nosuch: no such jail' "$ERR"
expect_rc 2 "$BRIG" start

# brig's own cgroup group (the parent of the jails' groups) stays when the
# last jail stops; `_cgroup-group --remove` (the package's prerm, the
# demo) removes it, not while a jail's group is below it.
expect_rc 1 "$BRIG" _cgroup-group --remove
expect_grep "removing cgroup .*: Device or resource busy" "$ERR"
expect_rc 0 "$BRIG" exec web true
expect_rc 0 "$BRIG" stop --all
expect_grep "web: removed" "$OUT"
expect_grep "db: removed" "$OUT"
groups=$(sed 's|/[^/]*$||' "$T/cgroups" | sort -u)
[ -n "$groups" ] || fail "no cgroup recorded"
for d in $groups; do [ -d "$d" ] || fail "brig's group $d went with the last jail"; done
expect_rc 0 "$BRIG" _cgroup-group --remove
for d in $groups; do [ ! -d "$d" ] || fail "brig's group $d left by _cgroup-group --remove"; done
expect_rc 0 "$BRIG" _cgroup-group --remove
assert_clean
