# Options before or after the jail name; "did you mean" for a mistyped
# command (issue 15, item 7).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "web { path = \"$ROOT\"; persist; }"
# An option after the name (getopt stopped at the first name before).
expect_rc 0 "$BRIG" start web -q
expect_eq "start web -q prints nothing" "" "$OUT"
remember_cgroups web

# exec: -u before the jail's name is an option, not the jail.
expect_rc 0 "$BRIG" exec -u nobody web id -u
expect_eq "exec -u nobody web" 65534 "$OUT"
# ... and after it, as before; the command's own options stay its own.
expect_rc 0 "$BRIG" exec web -u nobody id -u
expect_eq "exec web -u nobody" 65534 "$OUT"
expect_rc 0 "$BRIG" exec web id -u
expect_eq "exec web id -u" 0 "$OUT"
expect_rc 0 "$BRIG" exec -- web id -u
expect_eq "exec -- web" 0 "$OUT"
expect_rc 2 "$BRIG" exec -u nobody
expect_grep "usage: brig exec" "$ERR"
expect_rc 2 "$BRIG" exec -u nobody web
expect_grep "no command given" "$ERR"

# A mistyped command: a hint and status 2; a word far from every command:
# no hint.
expect_rc 2 "$BRIG" strat web
expect_eq "did you mean" 'brig: unknown command "strat"; did you mean "start"? (see brig --help)' "$ERR"
expect_rc 2 "$BRIG" snapshts web
expect_grep 'did you mean "snapshots"' "$ERR"
expect_rc 2 "$BRIG" xyzzy
expect_eq "no hint" 'brig: unknown command "xyzzy" (see brig --help)' "$ERR"
# Internal commands are never suggested.
expect_rc 2 "$BRIG" reapp
case $ERR in *'did you mean "reap"'*) fail "suggested an internal command: $ERR" ;; esac

expect_rc 0 "$BRIG" stop -q web
expect_eq "stop -q web" "" "$OUT"
expect_rc 0 "$BRIG" stop web -q
assert_clean
