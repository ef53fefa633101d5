# fish completion for brig(8): commands, options, and the names of jails,
# templates, snapshots and bridges, asked of brig itself
# (`brig complete WHAT`, an internal command).

function __brig_ask
    brig complete $argv 2>/dev/null
end

# The positional words after the verb (options and their arguments skipped).
function __brig_pos
    set -l words (commandline -opc)
    set -l verb $words[2]
    set -e words[1..2]
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case -f
                # logs -f follows: it takes no argument.
                test (__brig_verb) = logs; or set skip 1
            case -p -u -n --template --from
                set skip 1
            case -t
                # create -t TEMPLATE; exec -t is a flag
                test "$verb" = create; and set skip 1
            case '-*'
            case '*'
                echo $w
        end
    end
end

function __brig_verb
    set -l words (commandline -opc)
    test (count $words) -ge 2; and echo $words[2]
end

# __brig_at VERB N: completing the Nth positional word of VERB.
function __brig_at
    test (__brig_verb) = $argv[1]; or return 1
    test (math (count (__brig_pos)) + 1) = $argv[2]
end

function __brig_flags
    __brig_ask flags (__brig_verb)
end

complete -c brig -f
complete -c brig -n 'test (count (commandline -opc)) = 1' -a '(__brig_ask commands)'
complete -c brig -n 'test (count (commandline -opc)) -ge 2; and string match -q -- "-*" (commandline -ct)' -a '(__brig_flags)'
complete -c brig -n '__fish_seen_subcommand_from start' -a '(__brig_ask jails)'
complete -c brig -n '__fish_seen_subcommand_from stop restart console stats' -a '(__brig_ask running)'
complete -c brig -n '__brig_at exec 1' -a '(__brig_ask running)'
complete -c brig -n '__brig_at logs 1' -a '(__brig_ask jails)'
complete -c brig -n '__brig_at config 1' -a 'check show'
complete -c brig -n '__fish_seen_subcommand_from config; and not __brig_at config 1' -a '(__brig_ask jails)'
complete -c brig -n '__brig_at destroy 1; or __brig_at snapshots 1; or __brig_at export 1; or __brig_at rollback 1' -a '(__brig_ask jails)'
complete -c brig -n '__brig_at snapshot 1' -a 'rm (__brig_ask jails)'
complete -c brig -n '__brig_at rollback 2' -a '(__brig_ask snapshots (__brig_pos)[1])'
complete -c brig -n '__brig_at snapshot 2; and test (__brig_pos)[1] = rm' -a '(__brig_ask jails)'
complete -c brig -n '__brig_at snapshot 3; and test (__brig_pos)[1] = rm' -a '(__brig_ask snapshots (__brig_pos)[2])'
complete -c brig -n '__brig_at template 1' -a 'create ls rm'
complete -c brig -n '__brig_at template 2; and test (__brig_pos)[1] = rm' -a '(__brig_ask templates)'
complete -c brig -n '__brig_at net 1' -a 'ls up down'
complete -c brig -n '__brig_at net 2; and contains -- (__brig_pos)[1] up down' -a '(__brig_ask bridges)'
complete -c brig -n '__fish_seen_subcommand_from create' -l template -s t -r -a '(__brig_ask templates)'
complete -c brig -n '__brig_at import 1; or __brig_at export 2' -F

complete -c jexec -f
complete -c jexec -s l -d 'clean environment, login shell'
complete -c jexec -s u -r -d 'user in the jail'
complete -c jexec -s U -r -d 'user from the host passwd'
complete -c jexec -n 'test (count (commandline -opc)) = 1' -a '(__brig_ask running)'
