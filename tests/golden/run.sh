#!/bin/sh
# Golden tests of the configuration engine: bad input -> the exact message.
#
# Each case is a folder under tests/golden/cases/ holding:
#   jail.conf (and any other files the case needs)
#   setup.sh         optional: run first, in the case's copy (makes big or
#                    binary files that are better not committed)
#   args             optional: brig's arguments (default: config check -f jail.conf)
#   stdin.sh         optional: its output is fed to brig's standard input
#   expected.stderr  exactly what brig prints on stderr
#   expected.status  its exit status (124: brig ran over a minute)
# stdout must stay empty: no partial output when there are errors.
# Prints one "PASS name" or "FAIL name" line per case.
set -u
cd "$(dirname "$0")/../.."
BRIG=${BRIG:-$PWD/${BUILD:-build}/asan/brig}
fail=0
work=$(mktemp -d /tmp/brig-golden.XXXXXX)
trap 'rm -rf "$work"' EXIT

for dir in tests/golden/cases/*/; do
	name=$(basename "$dir")
	case_dir="$work/$name"
	cp -R "$dir" "$case_dir"
	(
		cd "$case_dir" || exit 1
		[ -f setup.sh ] && { sh ./setup.sh || exit 1; }
		args="config check -f jail.conf"
		[ -f args ] && args=$(cat args)
		feed="cat /dev/null"
		[ -f stdin.sh ] && feed="sh ./stdin.sh"
		# shellcheck disable=SC2086
		# A bound, so that a case that would hang (a FIFO) fails.
		$feed 2>/dev/null | BRIG_CONFDIR="$case_dir/etc" timeout -k 5 60 "$BRIG" $args \
			>out.stdout 2>out.stderr
		echo $? >out.status
	)
	why=""
	if ! cmp -s "$case_dir/out.stderr" "$dir/expected.stderr"; then
		why="stderr differs"
	elif [ "$(cat "$case_dir/out.status")" != "$(cat "$dir/expected.status")" ]; then
		why="exit status $(cat "$case_dir/out.status"), expected $(cat "$dir/expected.status")"
	elif [ -s "$case_dir/out.stdout" ]; then
		why="stdout is not empty"
	fi
	if [ -z "$why" ]; then
		echo "PASS golden/$name"
	else
		echo "FAIL golden/$name: $why"
		diff -u "$dir/expected.stderr" "$case_dir/out.stderr" | sed 's/^/    /' | head -20
		fail=1
	fi
done
exit $fail
