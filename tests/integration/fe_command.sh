# jail(8)'s command= on the command line: the command and its arguments
# are one argv; a jail without persist ends when the command does.
. tests/integration/lib/fe.sh

## A jail without persist ends with its command; its output is ours.
expect_rc 0 jail -c name=once path="$R" command=/bin/echo hello
expect_eq "command output" "$(printf 'once: created\nhello')" "$OUT"
expect_rc 1 jls -c -j once
# "command" alone takes every later argument, options included.
expect_rc 0 jail -c name=twice path="$R" command /bin/sh -c 'echo "$0 $1"' a b
expect_grep "^a b$" "$OUT"
expect_rc 1 jls -c -j twice
# The command's failure is the jail's.
expect_rc 1 jail -c name=thrice path="$R" command=/bin/false
expect_grep "^jail: thrice: " "$ERR"
