# bash completion for brig(8) and jexec: commands, options, and the names
# of jails, templates, snapshots and bridges, asked of brig itself
# (`brig complete WHAT`, an internal command).

# _brig_ask WHAT [ARG]: names from brig, quietly.
_brig_ask()
{
	"${_brig_bin:-brig}" complete "$@" 2>/dev/null
}

# _brig_pos I: the I-th positional word after the verb (options and their
# arguments skipped), or nothing.
_brig_pos()
{
	local i n=0 w
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-f | -p | -u | --template | --from) ((i++)) ;;
		-t) [[ ${COMP_WORDS[1]} == create ]] && ((i++)) ;;	# exec -t: a flag
		-*) ;;
		*)
			((n++))
			if ((n == $1)); then
				printf '%s\n' "$w"
				return
			fi
			;;
		esac
	done
}

_brig()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local verb=${COMP_WORDS[1]} words="" i pos=0 w
	_brig_bin=${COMP_WORDS[0]}
	COMPREPLY=()

	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W "$(_brig_ask commands) --help --version" -- "$cur"))
		return
	fi
	# logs: -f follows (no argument), -n takes a number.
	[[ $verb == logs && $prev == -f ]] && prev=
	case $prev in
	-f | --from)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-t | --template)
		if [[ $prev == --template || $verb == create ]]; then
			COMPREPLY=($(compgen -W "$(_brig_ask templates)" -- "$cur"))
			return
		fi
		;;
	-p | -u | -n) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_brig_ask flags "$verb")" -- "$cur"))
		return
	fi
	# Which positional word is being completed (1: the first after the verb).
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-f) [[ $verb == logs ]] || ((i++)) ;;
		-t) [[ $verb == create ]] && ((i++)) ;;
		-p | -u | -n | --template | --from) ((i++)) ;;
		-*) ;;
		*) ((pos++)) ;;
		esac
	done
	((pos++))
	case $verb in
	start | config)
		if [[ $verb == config && $pos == 1 ]]; then
			words="check show"
		else
			words=$(_brig_ask jails)
		fi
		;;
	stop | restart | console | stats) words=$(_brig_ask running) ;;
	logs) ((pos == 1)) && words=$(_brig_ask jails) ;;
	exec)
		if ((pos == 1)); then
			words=$(_brig_ask running)
		else
			COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi
		;;
	destroy | snapshots | export)
		((pos == 1)) && words=$(_brig_ask jails)
		((pos == 2)) && [[ $verb == export ]] && COMPREPLY=($(compgen -f -- "$cur")) && return
		;;
	snapshot)
		if [[ $(_brig_pos 1) == rm ]]; then
			((pos == 2)) && words=$(_brig_ask jails)
			((pos == 3)) && words=$(_brig_ask snapshots "$(_brig_pos 2)")
		elif ((pos == 1)); then
			words="rm $(_brig_ask jails)"
		fi
		;;
	rollback)
		((pos == 1)) && words=$(_brig_ask jails)
		((pos == 2)) && words=$(_brig_ask snapshots "$(_brig_pos 1)")
		;;
	template)
		((pos == 1)) && words="create ls rm"
		((pos == 2)) && [[ $(_brig_pos 1) == rm ]] && words=$(_brig_ask templates)
		;;
	net)
		((pos == 1)) && words="ls up down"
		((pos == 2)) && [[ $(_brig_pos 1) == up || $(_brig_pos 1) == down ]] && words=$(_brig_ask bridges)
		;;
	import)
		((pos == 1)) && COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

# jexec [-l] [-u USER | -U USER] JAIL [COMMAND...]
_brig_jexec()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} i n=0
	COMPREPLY=()
	case $prev in -u | -U) return ;; esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-l -u -U" -- "$cur"))
		return
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-u | -U) ((i++)) ;;
		-*) ;;
		*) ((n++)) ;;
		esac
	done
	if ((n == 0)); then
		# /usr/sbin/jexec -> /usr/sbin/brig, as _brig runs the brig typed.
		_brig_bin=${COMP_WORDS[0]%jexec}brig
		COMPREPLY=($(compgen -W "$(_brig_ask running)" -- "$cur"))
	else
		COMPREPLY=($(compgen -c -- "$cur"))
	fi
}

complete -F _brig brig
complete -F _brig_jexec jexec
