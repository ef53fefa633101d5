# brig config check/show on a configuration directory ($BRIG_CONFDIR):
# the seed's files resolve to what a FreeBSD user expects, a jail that
# lives only in jail.conf.d is found, --json is valid JSON (checked with a
# real parser), -f - reads standard input, errors leave stdout empty.
. tests/integration/lib/common.sh
command -v python3 >/dev/null || skip "python3 is needed to parse JSON"

cp examples/seed/jail.conf.d/*.conf "$BRIG_CONFDIR/jail.conf.d/"
# A jail defined only in jail.conf.d (FreeBSD's rc.d would not start it).
printf 'cache { path = /jails/cache; persist; }\n' >"$BRIG_CONFDIR/jail.conf.d/zz-cache.conf"

expect_rc 0 "$BRIG" config check
expect_eq "check stdout" "" "$OUT"
expect_eq "check stderr" "" "$ERR"

expect_rc 0 "$BRIG" config show --json
printf '%s\n' "$OUT" | python3 -c '
import json, sys
jails = json.load(sys.stdin)
assert [j["name"] for j in jails] == ["db", "web", "cache"], jails
web = jails[1]["params"]
want = {
    "name": "web",
    "path": "/usr/local/jails/web",
    "vnet": "new",
    "vnet.interface": ["epair_webb"],
    "exec.start": ["/bin/sh /etc/rc"],
    "exec.stop": ["/bin/sh /etc/rc.shutdown"],
    "exec.consolelog": "/var/log/jail_console_web.log",
    "exec.prestart": ["/usr/local/libexec/jail-epair.sh up web web bridge0"],
    "exec.poststart": ["/usr/local/libexec/jail-net.sh web web 10.10.0.2/24 10.10.0.1"],
    "exec.poststop": ["/usr/local/libexec/jail-epair.sh down web web"],
    "mount.devfs": True,
    "allow.raw_sockets": True,
    "exec.clean": True,
    "depend": ["db"],
}
for k, v in want.items():
    assert web[k] == v, (k, web[k], v)
assert set(web) == set(want), sorted(set(web) ^ set(want))
assert jails[2]["params"] == {"name": "cache", "path": "/jails/cache", "persist": True}
' || fail "seed JSON"

# Selected jails, text form, loads back.
expect_rc 0 "$BRIG" config show web
expect_grep '^web {$' "$OUT"
expect_grep 'vnet.interface = epair_webb;' "$OUT"
printf '%s\n' "$OUT" >"$T/back.conf"
printf 'db { }\n' >>"$T/back.conf"
expect_rc 0 "$BRIG" config check -f "$T/back.conf"

# Standard input, command-line parameters after the files.
expect_rc 0 sh -c "printf 'a { persist; }\n' | \"$BRIG\" config show --json -f - persist=false host.hostname=h"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j == [{"name": "a", "params": {"name": "a", "persist": False, "host.hostname": "h"}}], j
' || fail "stdin JSON"

# Every valid corpus file gives valid JSON.
for f in tests/corpus/jailconf-real/*.conf; do
	if "$BRIG" config show --json -f "$f" >"$T/out.json" 2>/dev/null; then
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out.json" ||
			fail "invalid JSON for $f"
	fi
done

# Errors: exit 1, nothing on stdout.
printf 'broken { persist = maybe; }\n' >"$BRIG_CONFDIR/jail.conf"
expect_rc 1 "$BRIG" config show --json
expect_eq "stdout on error" "" "$OUT"
expect_grep 'jail.conf:1:10: error: broken: persist: unknown boolean value "maybe"' "$ERR"
expect_rc 1 "$BRIG" config show -f "$T/back.conf" nosuch
expect_eq "stdout on error" "" "$OUT"
expect_rc 2 "$BRIG" config frobnicate
