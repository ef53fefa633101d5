# Shell completions (issue 15, item 7): bash's driven for real (COMP_WORDS,
# COMP_CWORD, the completion function, COMPREPLY); zsh and fish checked
# for syntax where those shells are installed.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
command -v bash >/dev/null || skip "bash is not installed"

cat >"$BRIG_CONFDIR/jail.conf" <<EOC
* { path = "$ROOT"; persist; }
web { }
db { }
webmail { noboot; }
EOC
printf 'bridge0 {\n\tip4.addr = "10.77.0.1/24";\n}\nlan1 { }\n' >"$BRIG_CONFDIR/networks.conf"
# A template and a snapshot to name: a thick copy of the busybox root.
mkdir -p "$T/tpl"
cp -a "$ROOT/." "$T/tpl/"
expect_rc 0 "$BRIG" template create base --from "$T/tpl"
expect_rc 0 "$BRIG" template create basic --from "$T/tpl"
expect_rc 0 "$BRIG" create snapjail -t base
expect_rc 0 "$BRIG" snapshot snapjail before
expect_rc 0 "$BRIG" snapshot snapjail beyond
expect_rc 0 "$BRIG" start web
remember_cgroups web

# complete LINE: what bash offers for the last word of LINE (a trailing
# space: a new, empty word), sorted, on one line.
complete_line() {
	bash --norc --noprofile -c '
		. dist/completions/brig.bash
		line=$1
		read -r -a COMP_WORDS <<<"$line"
		case $line in *" ") COMP_WORDS+=("") ;; esac
		COMP_WORDS[0]=$2
		[ "${3:-}" = jexec ] && COMP_WORDS[0]=${2%brig}jexec
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line
		COMP_POINT=${#line}
		spec=$(complete -p "${3:-brig}")
		fn=${spec#*-F }
		fn=${fn%% *}
		"$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' sh "$1" "$BRIG" "${2:-}"
}
check() {
	got=$(complete_line "$1" "${3:-}")
	expect_eq "completion of [$1]" "$2" "$got"
}

check "brig st" "start stats stop "
check "brig re" "reload restart "
check "brig sn" "snapshot snapshots "
# Internal commands are not offered.
check "brig rea" ""
check "brig start " "db snapjail web webmail "
check "brig start w" "web webmail "
check "brig start -q w" "web webmail "
check "brig start -" "--all --boot -f -p -q -v "
check "brig start --b" "--boot "
check "brig stop " "web "
check "brig stats " "web "
check "brig stats web " "web "
check "brig ls -" "--json -a -v "
check "brig exec " "web "
check "brig exec -u nobody " "web "
check "brig exec web -" "-t -u "
check "brig exec -t " "web "
check "brig console w" "web "
# logs: every configured jail; -f follows (takes no file), -n takes a number.
check "brig lo" "logs "
check "brig logs " "db snapjail web webmail "
check "brig logs -f w" "web webmail "
check "brig logs -n 5 w" "web webmail "
check "brig logs -n " ""
check "brig logs -" "-f -n "
check "brig create x -t " "base basic "
check "brig create x --template ba" "base basic "
check "brig template " "create ls rm "
check "brig template rm " "base basic "
check "brig rollback snapjail b" "before beyond "
check "brig snapshot rm snapjail " "before beyond "
check "brig snapshot " "db rm snapjail web webmail "
check "brig net " "down ls up "
check "brig net up " "bridge0 lan1 "
check "brig config " "check show "
check "brig config show w" "web webmail "
check "brig destroy sn" "snapjail "
check "jexec " "web " jexec

# Names come from brig: with the configuration broken, none (and no error
# on the terminal).
echo 'broken {' >"$BRIG_CONFDIR/jail.conf.d/x.conf"
check "brig start " ""
rm "$BRIG_CONFDIR/jail.conf.d/x.conf"

if command -v zsh >/dev/null; then
	zsh -n dist/completions/_brig || fail "zsh: _brig does not parse"
else
	echo "completion: zsh is not installed: _brig not checked" >&2
fi
if command -v fish >/dev/null; then
	fish -n dist/completions/brig.fish || fail "fish: brig.fish does not parse"
else
	echo "completion: fish is not installed: brig.fish not checked" >&2
fi

expect_rc 0 "$BRIG" stop web
expect_rc 0 "$BRIG" destroy snapjail
assert_clean
