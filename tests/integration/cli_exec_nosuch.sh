# brig exec (and console) on a jail that is not running says which case
# it is: "no such jail" when the configuration has no such jail, "not
# running" when it has (issue 15, item 7). jexec keeps libjail's words.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "j { path = \"$ROOT\"; persist; }"
expect_rc 1 "$BRIG" exec nosuch true
expect_eq "exec nosuch" "brig: nosuch: no such jail (not in the configuration, not running)" "$ERR"
expect_rc 1 "$BRIG" console nosuch
expect_eq "console nosuch" "brig: nosuch: no such jail (not in the configuration, not running)" "$ERR"
expect_rc 1 "$BRIG" exec j true
expect_eq "exec j (stopped)" "brig: j: not running" "$ERR"
expect_rc 1 "$BRIG" exec 4242 true
expect_eq "exec 4242" "brig: 4242: no such jail (not in the configuration, not running)" "$ERR"
ln -s "$BRIG" "$T/jexec"
expect_rc 1 "$T/jexec" nosuch true
expect_eq "jexec nosuch" "jexec: jail \"nosuch\" not found" "$ERR"
# Running: found by name and by JID.
expect_rc 0 "$BRIG" start j
remember_cgroups j
expect_rc 0 "$BRIG" exec j echo in
expect_eq "exec j" in "$OUT"
expect_rc 0 "$BRIG" stop j
assert_clean
