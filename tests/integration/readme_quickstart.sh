# The README's quick start, run literally (issue 15, item 5): the ```sh
# block of README.md's "Quick start" section, extracted at test time (no
# copy here: the test follows the README), run by `sh -e` as an admin would
# type it on a fresh machine: `brig` (and jail, jls, jexec) on PATH, the
# default /etc/brig and /var/lib/brig, which do not exist yet.
#
# Nothing of the machine is touched: run-one.sh runs this test in its own
# mount namespace with private propagation (checked first), where /etc and
# /var/lib are overlays whose writes land in $T (a directory that exists is
# covered by an empty tmpfs instead), and /run/brig and /var/log (the
# README's exec.consolelog) are tmpfs. BRIG_RUNDIR stays the test's own:
# the run directory's path names brig's cgroups, which are not namespaced,
# so the default /run/brig would share them with the machine's jails.
# Interactive lines get `exit` on stdin (`brig exec web sh`); wget is
# bounded by a wrapper on PATH (a hung fetch would hang the test).
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v wget >/dev/null || skip "wget missing"

# Refuse to go on outside run-one.sh's sandbox: PID 1 of this PID
# namespace is run-one.sh, and no mount propagates to another namespace.
tr '\0' ' ' </proc/1/cmdline | grep -q 'run-one.sh' || fail "not in run-one.sh's PID namespace"
grep -q ' shared:' /proc/self/mountinfo && fail "a mount here propagates: not a private mount namespace"

# scratch DIR: DIR empty and writable, writes landing in $T.
scratch() {
	if [ -d "$1" ]; then
		mount -t tmpfs -o mode=0755 scratch "$1"
	else
		p=$(dirname "$1")
		ov="$T/ov$(printf '%s' "$p" | tr / _)"
		mkdir -p "$ov/u" "$ov/w"
		mount -t overlay -o "lowerdir=$p,upperdir=$ov/u,workdir=$ov/w" scratch "$p"
		# The directory itself a tmpfs, made in the overlay's upper
		# layer: brig's thin roots are overlays, which an overlay's
		# upper directory cannot hold (EINVAL), as on a fresh machine
		# where /var/lib/brig does not exist yet.
		mkdir -p "$1"
		mount -t tmpfs -o mode=0755 scratch "$1"
	fi
}
for d in /etc/brig /var/lib/brig /run/brig /var/log; do
	scratch "$d"
	fs=$(stat -f -c %T "$d" 2>/dev/null || stat -f -c %T "$(dirname "$d")")
	case "$fs" in tmpfs | overlayfs) ;; *) fail "$d is on $fs, not a scratch mount" ;; esac
done
unset BRIG_CONFDIR BRIG_STOREDIR

# brig on PATH: the test's ASan binary, by its names.
mkdir -p "$T/bin" "$T/home"
for n in brig jail jls jexec; do ln -s "$BRIG" "$T/bin/$n"; done
cat >"$T/bin/wget" <<EOF
#!/bin/sh
exec timeout 30 $(command -v wget) "\$@"
EOF
chmod +x "$T/bin/wget"
export PATH="$T/bin:$PATH"

awk '/^## Quick start/ { q = 1; next }
     q && /^## / { exit }
     q && /^```sh$/ { b = 1; next }
     q && b && /^```$/ { exit }
     q && b' README.md >"$T/quickstart.sh"
[ -s "$T/quickstart.sh" ] || fail "README.md: no \`\`\`sh block in the Quick start section"

set +e
(cd "$T/home" && printf 'exit\n' | timeout 900 sh -ex "$T/quickstart.sh") >"$T/qs.out" 2>"$T/qs.err"
rc=$?
set -e
cat "$T/qs.out"
cat "$T/qs.err" >&2
[ $rc = 0 ] || fail "the quick start stopped (exit $rc) at: $(grep '^+' "$T/qs.err" | tail -n 1)"

# What the README promises: three jails running, the page through the rdr,
# everything stopped at the end.
expect_grep '^ *[0-9][0-9]* *dns ' "$(cat "$T/qs.out")"
expect_grep '^ *[0-9][0-9]* *db ' "$(cat "$T/qs.out")"
expect_grep '^ *[0-9][0-9]* *web ' "$(cat "$T/qs.out")"
# The page is what the README writes into web's index.html.
page=$(sed -n "s/^echo '\(.*\)' *> *[^ ]*index.html\$/\1/p" "$T/quickstart.sh" | head -n 1)
[ -n "$page" ] || fail "README.md's quick start writes no index.html (echo '...' > .../index.html)"
grep -qxF "$page" "$T/qs.out" || fail "the quick start's wget did not print the page \"$page\""
expect_rc 0 brig ls --json
expect_eq "jails left" "[]" "$(printf '%s' "$OUT" | tr -d ' \n')"
expect_eq "inits left" 0 "$(count_inits)"
exit 0
