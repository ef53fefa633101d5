# jail(8)'s behaviours that FreeBSD's own jail_basic_test.sh expects
# (jid_name_set, param_consistency) and the forms of its command line:
# a numeric jail is its JID, a jail without a name is named by its JID,
# the old-style command line, path optional, empty values skipped, an
# undefined depend fails that jail only, -m changes what Linux can change
# live, -r says what jail(8) says.
. tests/integration/lib/fe.sh
C=$T/jail.conf

## jid_name_set: "5309 { name = basejail; }" is JID 5309 named basejail;
## jail(8) names it by its block: "5309: created", "5309: removed".
echo "5309 { name = basejail; path = \"$R\"; persist; }" >"$C"
expect_rc 0 jail -f "$C" -c 5309
expect_eq "numeric jail created" "5309: created" "$OUT"
expect_rc 0 jls -j 5309 name
expect_eq "jls -j 5309 name" "basejail" "$OUT"
expect_rc 1 jail -f "$C" -c 5309
expect_eq "numeric jail created twice" 'jail: "5309" already exists' "$ERR"
expect_rc 0 jail -f "$C" -r 5309
expect_eq "numeric jail removed" "5309: removed" "$OUT"
expect_rc 1 jail -f "$C" -r 5309
expect_eq "numeric jail not running" 'jail: "5309" not found' "$ERR"
# Without a name, ${name} is the number.
echo "5309 { host.hostname = \"\${name}\"; path = \"$R\"; persist; }" >"$C"
expect_rc 0 jail -f "$C" -c 5309
expect_eq "numeric jail without name" "5309: created" "$OUT"
expect_rc 0 jls -j 5309 host.hostname
expect_eq "\${name} of a numeric jail" "5309" "$OUT"
expect_rc 0 jls -j 5309 name
expect_eq "the name of a numeric jail" "5309" "$OUT"
expect_rc 0 jail -f "$C" -r 5309
expect_eq "numeric jail without name removed" "5309: removed" "$OUT"
echo "basejail { jid = 5309; path = \"$R\"; persist; }" >"$C"
expect_rc 0 jail -f "$C" -c basejail
expect_eq "jid = 5309" "basejail: created" "$OUT"
expect_rc 0 jls -j basejail jid
expect_eq "jls -j basejail jid" "5309" "$OUT"
expect_rc 0 jail -f "$C" -r basejail
expect_eq "jid = 5309 removed" "basejail: removed" "$OUT"

## param_consistency: a jail without a name runs, named by its JID, and
## jail(8) says nothing of it.
expect_rc 0 jail -c path=/ exec.poststart="true" command=/bin/true
expect_eq "unnamed jail: stdout" "" "$OUT"
expect_eq "unnamed jail: stderr" "" "$ERR"
# With -v, jail(8)'s note without a name.
expect_rc 0 jail -v -c path=/ command=/bin/true
expect_grep "^created$" "$OUT"
expect_rc 0 jail -i -c path="$R" persist
jid=$OUT
case $jid in ''|*[!0-9]*) fail "jail -i of an unnamed jail: [$jid]" ;; esac
expect_rc 0 jls -j "$jid" name
expect_eq "an unnamed jail's name" "$jid" "$OUT"
expect_rc 0 jail -r "$jid"
expect_rc 1 jls -c -j "$jid"
# jid= without name=: the jail is named by it.
expect_rc 0 jail -c jid=77 path="$R" persist
expect_eq "jid= without name=" "" "$OUT"
expect_rc 0 jls -j 77 name
expect_eq "named by jid=" "77" "$OUT"
expect_rc 0 jail -r 77

## The old-style command line: path hostname ip command...
expect_rc 0 jail -J "$T/jid" "$R" oldstyle "" /bin/hostname
expect_eq "old-style command line" "oldstyle" "$OUT"
expect_rc 1 jls -c -j oldstyle
# -J writes jail(8)'s line for this form: JID, path, hostname, IPs, command.
expect_grep "^[0-9][0-9]*	$R	oldstyle		/bin/hostname\$" "$(cat "$T/jid")"

## path is optional: the jail's root is the host's (jail(8): "/").
expect_rc 0 jail -c name=nopath persist
expect_eq "no path" "nopath: created" "$OUT"
expect_rc 0 jls -j nopath path
expect_eq "jls path of a jail without path" "/" "$OUT"
expect_rc 0 jail -r nopath

## Empty values are skipped where jail(8) skips them.
cat >"$C" <<EOF
e { path = "$R"; persist; vnet.interface = ""; mount = ""; exec.start = ""; }
EOF
expect_rc 0 jail -f "$C" -c e
expect_eq "empty values" "e: created" "$OUT"
expect_rc 0 jail -f "$C" -r e

## An undefined depend fails that jail only.
cat >"$C" <<EOF
path = "$R";
persist;
good { }
bad { depend = nosuch; }
EOF
expect_rc 1 jail -f "$C" -c
expect_grep "^good: created$" "$OUT"
expect_grep "bad: depends on undefined jail \"nosuch\"" "$ERR"
expect_rc 0 jls -j good name
expect_rc 1 jls -c -j bad
# On the command line, depend names running jails (jail(8)).
expect_rc 0 jail -c name=after path="$R" persist depend=good
expect_eq "depend on a running jail" "after: created" "$OUT"
expect_rc 1 jail -c name=orphan path="$R" persist depend=nosuch
expect_grep "depends on nonexistent jail \"nosuch\"" "$ERR"
expect_rc 1 jls -c -j orphan
expect_rc 0 jail -r after good

## jail -m: the hostname changes live; what cannot change is refused.
expect_rc 0 jail -c name=live path="$R" persist host.hostname=before
expect_rc 0 jail -m name=live path="$R" persist host.hostname=after
expect_eq "jail -m host.hostname" "live: updated" "$OUT"
expect_rc 0 jexec live hostname
expect_eq "the hostname changed live" "after" "$OUT"
expect_rc 0 jls -j live host.hostname
expect_eq "jls sees the new hostname" "after" "$OUT"
expect_rc 1 jail -m name=live path=/ persist host.hostname=after
expect_grep "live: path cannot be changed after creation" "$ERR"
# A parameter without effect on Linux changes in the record, as jail(8)'s.
expect_rc 0 jail -m name=live path="$R" persist host.hostname=after osrelease=13.0-RELEASE
expect_eq "jail -m osrelease" "live: updated" "$OUT"
expect_rc 0 jls -j live osrelease
expect_eq "jls sees the new osrelease" "13.0-RELEASE" "$OUT"
# allow.mount* and allow.set_hostname mean the same whatever their value
# on Linux (a userns jail may, another never): changed in the record.
expect_rc 0 jail -m name=live allow.mount allow.mount.tmpfs allow.set_hostname=0
expect_eq "jail -m allow.mount" "live: updated" "$OUT"
expect_rc 0 jls -j live allow.mount allow.mount.tmpfs allow.set_hostname
expect_eq "jls sees the new allow.*" "true true false" "$OUT"
# One held as a capability by the running processes: refused, naming it.
expect_rc 1 jail -m name=live allow.raw_sockets
expect_grep "live: allow.raw_sockets cannot be changed after creation: CAP_NET_RAW" "$ERR"
expect_rc 1 jail -m name=live allow.socket_af
expect_grep "live: allow.socket_af cannot be changed after creation: .*seccomp" "$ERR"

## jail -r without a jail.conf: jail(8) says nothing of one jail removed,
## "not found" of one that does not run.
expect_rc 0 jail -r live
# (BRIG_TEST_USERNS=1 adds a file to jail.conf.d: a configuration.)
[ "${BRIG_TEST_USERNS:-}" = 1 ] || expect_eq "jail -r without jail.conf" "" "$OUT"
expect_rc 1 jail -r live
expect_eq "jail -r of a jail not running" 'jail: "live" not found' "$ERR"
