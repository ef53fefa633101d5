# A store on a small tmpfs: create and import that run out of space fail
# clearly and leave no partial template, jail or file.
. tests/integration/lib/common.sh
. tests/integration/lib/store.sh
mkdir "$T/small"
mount -t tmpfs -o size=12m brig-small "$T/small"
export BRIG_STOREDIR="$T/small/store"
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d

# A directory too big for the store.
mkdir -p "$T/big/data"
for i in 1 2 3 4; do head -c 4000000 /dev/urandom >"$T/big/data/f$i"; done
expect_rc 1 $BRIG template create big --from "$T/big"
expect_grep 'template big: .*No space left on device' "$ERR"
[ ! -e "$S/templates/big" ] || fail "partial template left"
store_is_clean

# The same as a tarball: refused before it fills the filesystem.
tar -C "$T/big" -cf "$T/big.tar" .
expect_rc 1 $BRIG template create big --from "$T/big.tar"
expect_grep 'template big: .*big.tar: the archive holds more data than the store has room for' "$ERR"
[ ! -e "$S/templates/big" ] || fail "partial template left"
store_is_clean

# A template that fits, whose thick copies do not all fit.
mkdir -p "$T/mid/data"
head -c 4500000 /dev/urandom >"$T/mid/data/f"
expect_rc 0 $BRIG template create mid --from "$T/mid"
expect_rc 0 $BRIG create t1 -t mid --thick
expect_rc 1 $BRIG create t2 -t mid --thick
expect_grep 't2: create: .*No space left on device' "$ERR"
[ ! -e "$S/jails/t2" ] && [ ! -e "$C/t2.conf" ] || fail "partial jail t2 left"
store_is_clean

# An import that does not fit.
expect_rc 0 $BRIG export t1 "$T/t1.tzst"
expect_rc 1 $BRIG import "$T/t1.tzst" t3
expect_grep 't3: import: .*\(No space left on device\|more data than the store has room for\)' "$ERR"
[ ! -e "$S/jails/t3" ] && [ ! -e "$C/t3.conf" ] || fail "partial jail t3 left"
store_is_clean

# A thin jail still fits (O(1) space) and works.
expect_rc 0 $BRIG create thin -t mid
cmp -s "$T/mid/data/f" "$S/jails/thin/root/data/f" || fail "thin jail does not show the template"
