# Sourced by the front-end tests (fe_*.sh): jail, jls and jexec on PATH as
# symlinks to brig (as installed), a busybox root at $R, and every jail
# removed when the test ends.
. tests/integration/lib/common.sh

for fe in jail jls jexec rctl; do ln -s "$BRIG" "$T/$fe"; done
PATH="$T:$PATH"
R="$T/root"
mk_busybox_root "$R"
trap 'jail -q -r "*" >/dev/null 2>&1 || true' EXIT
