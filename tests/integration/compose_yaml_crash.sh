# A compose file on which libfyaml crashes (0.7.12, Debian 12's: a write
# through a null pointer in its cleanup after a tab error; found by
# fuzz_compose, fuzz/corpus-compose/libfyaml-tab-crash) is refused with
# libfyaml's own diagnostic and what happened, exit 1, and nothing is
# written: brig reads the file in a child first (compose/compose.c
# build). A plain YAML error reads as before, without that note.
. tests/integration/lib/common.sh
mkdir -p "$T/p"
cp fuzz/corpus-compose/libfyaml-tab-crash "$T/p/compose.yml"
ls -R "$BRIG_CONFDIR" "$BRIG_STOREDIR" >"$T/before" 2>&1 || true
expect_rc 1 $BRIG compose import "$T/p/compose.yml"
f=$T/p/compose.yml
expect_grep "^brig: compose import: $f: not a YAML document: $f:2:8: error: cannot use tab for indentation of block entry; then libfyaml [0-9][0-9.]* crashed reading it\$" "$ERR"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "more than the message: $ERR"
expect_rc 1 $BRIG compose import "$f" --dry-run
expect_grep "crashed reading it\$" "$ERR"
ls -R "$BRIG_CONFDIR" "$BRIG_STOREDIR" >"$T/after" 2>&1 || true
cmp -s "$T/before" "$T/after" || fail "the failed import wrote: $(diff "$T/before" "$T/after")"

printf 'services:\n  a:\n\timage: x\n' >"$f"
expect_rc 1 $BRIG compose import "$f" --dry-run
expect_eq "a plain YAML error" "brig: compose import: $f: not a YAML document: $f:3:1: error: tab character may not be used as indentation" "$ERR"
