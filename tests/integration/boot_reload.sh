# The boot set (`boot` parameter, `brig start --boot`) and `brig reload`
# (issue 15, item 6): what brig.service runs at boot and on reload.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

L=$T/order
write_conf() {
	cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* {
	path = "$ROOT";
	persist;
	exec.poststart = 'echo started \$JNAME >> $L';
	exec.poststop = 'echo stopped \$JNAME >> $L';
}
db { $1 }
web { depend = db; $2 }
cache { noboot; }
app { depend = cache; }
tools { boot = false; }
$3
EOC
}
init_of() { jstate "$BRIG_RUNDIR/$1/state" init; }
running() { "$BRIG" ls --json | grep -o '"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort | tr '\n' ' '; }
line() { grep -n "^$1\$" "$L" | cut -d: -f1; }

write_conf "" "" ""
expect_rc 0 "$BRIG" config check

# --boot: every jail but those with boot off; cache, off, is pulled in by
# app's depend (as `brig start app` would).
expect_rc 0 "$BRIG" start --boot
for j in db web cache app; do remember_cgroups $j; done
expect_eq "boot set" "app cache db web " "$(running)"
[ "$(line 'started db')" -lt "$(line 'started web')" ] || fail "web before db: $(cat "$L")"
[ "$(line 'started cache')" -lt "$(line 'started app')" ] || fail "app before cache: $(cat "$L")"
expect_rc 0 "$BRIG" stop --all
expect_eq "stopped" "" "$(running)"

# --all still means every jail, boot or not.
expect_rc 0 "$BRIG" start --all
remember_cgroups tools
expect_eq "--all" "app cache db tools web " "$(running)"
expect_rc 0 "$BRIG" stop --all

# Selections that make no sense.
expect_rc 2 "$BRIG" start --boot web
expect_rc 2 "$BRIG" start --boot --all
expect_rc 2 "$BRIG" stop --boot
expect_rc 2 "$BRIG" reload web

# reload with nothing changed and everything up: nothing happens.
expect_rc 0 "$BRIG" start --boot
db0=$(init_of db) web0=$(init_of web) app0=$(init_of app)
expect_rc 0 "$BRIG" reload
expect_eq "reload, nothing changed" "" "$OUT"
expect_eq "db untouched" "$db0" "$(init_of db)"
expect_eq "web untouched" "$web0" "$(init_of web)"

# web changed: only web restarts.
write_conf "" 'host.hostname = "web2";' ""
expect_rc 0 "$BRIG" reload
expect_grep '^web: configuration changed (host.hostname): restarting$' "$OUT"
[ "$(init_of web)" != "$web0" ] || fail "web was not restarted"
expect_eq "db untouched" "$db0" "$(init_of db)"
expect_eq "app untouched" "$app0" "$(init_of app)"
expect_rc 0 "$BRIG" exec web hostname
expect_eq "new hostname" web2 "$OUT"

# db changed: db restarts, and web, which depends on it, after it.
web1=$(init_of web)
rm -f "$L"
write_conf 'allow.raw_sockets;' 'host.hostname = "web2";' ""
expect_rc 0 "$BRIG" reload
expect_grep '^db: configuration changed (allow.raw_sockets): restarting$' "$OUT"
[ "$(init_of db)" != "$db0" ] || fail "db was not restarted"
[ "$(init_of web)" != "$web1" ] || fail "web (depends on db) was not restarted"
[ "$(line 'stopped web')" -lt "$(line 'stopped db')" ] || fail "stop order: $(cat "$L")"
[ "$(line 'started db')" -lt "$(line 'started web')" ] || fail "start order: $(cat "$L")"
expect_eq "app untouched" "$app0" "$(init_of app)"

# A removed parameter counts as a change too; so does a new jail (started)
# and a new jail with boot off (not started); a boot jail stopped by hand
# starts again; changing only `boot` restarts nothing.
write_conf 'allow.raw_sockets; noboot;' '' 'new { } newoff { noboot; }'
expect_rc 0 "$BRIG" stop app
expect_rc 0 "$BRIG" reload
expect_grep '^web: configuration changed (host.hostname): restarting$' "$OUT"
expect_grep '^new: created$' "$OUT"
expect_grep '^app: created$' "$OUT"
printf '%s\n' "$OUT" | grep -q '^db: ' && fail "db restarted for its boot flag: $OUT"
remember_cgroups new
expect_eq "after reload" "app cache db new web " "$(running)"

# A jail that runs but is no longer configured is left running, with a
# word; a running jail with boot off that changed restarts.
expect_rc 0 "$BRIG" start tools
tools0=$(init_of tools)
write_conf 'allow.raw_sockets; noboot;' '' 'tools { boot = false; allow.mlock; }'
sed -i '/^tools { boot = false; }$/d' "$BRIG_CONFDIR/jail.conf"
expect_rc 0 "$BRIG" reload
expect_grep 'new: runs, but is no longer configured: left running (brig stop new stops it)' "$ERR"
expect_grep '^tools: configuration changed (allow.mlock): restarting$' "$OUT"
[ "$(init_of tools)" != "$tools0" ] || fail "tools was not restarted"
expect_rc 0 "$BRIG" stop new
expect_rc 0 "$BRIG" stop --all

# One failing boot jail: the others start, the failure names the jail,
# the exit status is 1 (what systemctl status shows).
write_conf 'exec.start = "false";' '' 'other { }'
expect_rc 1 "$BRIG" start --boot
expect_grep "db: start: exec.start: false: failed" "$ERR"
expect_grep 'web: skipped: its dependency "db" failed to start' "$ERR"
expect_grep '^app: created$' "$OUT"
expect_grep '^other: created$' "$OUT"
remember_cgroups other
expect_rc 1 "$BRIG" reload
expect_grep "db: start: exec.start: false: failed" "$ERR"
expect_rc 0 "$BRIG" stop --all
assert_clean
