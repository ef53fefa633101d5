# A jail from an image template runs the image's command as the image says:
# its Env (exec.env), WorkingDir (exec.workdir), User (exec.jail_user) and
# StopSignal (exec.stop.signal); brig exec gets the same environment and
# directory. The image is a busybox root turned into an OCI layout by umoci,
# and into a docker-archive by skopeo, offline.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib
S=$BRIG_STOREDIR
C=$BRIG_CONFDIR/jail.conf.d
command -v umoci >/dev/null || skip "umoci is not installed (scripts/deps.sh installs it)"
command -v skopeo >/dev/null || skip "skopeo is not installed (scripts/deps.sh installs it)"

# The image: busybox, a user app (1000), /srv, and a command that records
# what it ran with, then leaves a process that says which signal stopped it.
echo "app:x:1000:1000:app:/home/app:/bin/sh" >>"$ROOT/etc/passwd"
echo "app:x:1000:" >>"$ROOT/etc/group"
mkdir -p "$ROOT/srv" "$ROOT/home/app"
chown 1000:1000 "$ROOT/srv" "$ROOT/home/app"
chmod 1777 "$ROOT/tmp"
umoci init --layout "$T/oci"
umoci new --image "$T/oci:app"
umoci unpack --image "$T/oci:app" "$T/bundle" >/dev/null
cp -a "$ROOT/." "$T/bundle/rootfs/"
umoci repack --image "$T/oci:app" "$T/bundle"
cmd='echo "$FOO|$(pwd)|$(id -u)" >/tmp/out
trap "echo usr1 >/tmp/sig; exit 0" USR1; while :; do sleep 1; done'
umoci config --image "$T/oci:app" --config.entrypoint /bin/sh --config.entrypoint -c \
	--config.cmd "$cmd" --config.env 'FOO=bar baz $HOME "q"' \
	--config.env PATH=/bin:/sbin --config.workingdir /srv --config.user app:app \
	--config.stopsignal SIGUSR1 --config.exposedports 8080/tcp --config.volume /srv/data
skopeo copy -q "oci:$T/oci:app" "docker-archive:$T/app.tar:app:latest"

for src in "oci:$T/oci:app" "docker-archive:$T/app.tar"; do
	rm -f "$T/store/templates/app/root/tmp/out"
	expect_rc 0 $BRIG template create app --from "$src"
	expect_rc 0 $BRIG create j -t app persist
	f=$(cat "$C/j.conf")
	expect_grep '^	exec.service = "/bin/sh", "-c", "echo ' "$f"
	expect_grep '^	exec.env = "FOO=bar baz \\$HOME \\"q\\"",$' "$f"
	expect_grep '^	exec.workdir = "/srv";$' "$f"
	expect_grep '^	exec.jail_user = "app";$' "$f"
	expect_grep '^	exec.stop.signal = "SIGUSR1";$' "$f"
	expect_grep '^	#rdr = "tcp 8080 8080";$' "$f"
	expect_grep 'keeps its data in /srv/data' "$f"
	! grep -q '^	exec.start' "$C/j.conf" || fail "an image's jail runs /etc/rc"
	expect_rc 0 $BRIG config check

	# The image's command is the jail's service, in the foreground: the
	# start does not wait for it.
	expect_rc 0 $BRIG start j
	tries=0
	while [ ! -s "$S/jails/j/root/tmp/out" ] && [ $tries -lt 50 ]; do
		tries=$((tries + 1))
		sleep 0.1
	done
	expect_eq "what the command ran with" 'bar baz $HOME "q"|/srv|1000' \
		"$(cat "$S/jails/j/root/tmp/out")"
	# brig exec: the same environment and directory (as root unless -u).
	expect_rc 0 $BRIG exec j sh -c 'echo "$FOO|$(pwd)|$PATH"'
	expect_eq "brig exec" 'bar baz $HOME "q"|/srv|/bin:/sbin' "$OUT"
	# The image's stop signal reaches the jail's processes first.
	expect_rc 0 $BRIG stop j
	expect_eq "stop signal" usr1 "$(cat "$S/jails/j/root/tmp/sig")"
	expect_rc 0 $BRIG destroy j
	expect_rc 0 $BRIG template rm app
done

# exec.env and exec.workdir reach every command in the jail, hooks too,
# and not the host's hooks.
expect_rc 0 $BRIG template create bb --from busybox
expect_rc 0 $BRIG create h -t bb persist 'exec.env=V=one two' exec.workdir=/etc \
	'exec.start=sh -c "env | grep ^V= >/tmp/start; pwd >>/tmp/start"' \
	'exec.stop=sh -c "env | grep ^V= >/tmp/stop; pwd >>/tmp/stop"' \
	"exec.poststart=sh -c 'env | grep ^V= >$T/host || echo none >$T/host'"
expect_rc 0 $BRIG start h
expect_eq "exec.start" "V=one two
/etc" "$(cat "$S/jails/h/root/tmp/start")"
expect_eq "host hook" none "$(cat "$T/host")"
# An image's numeric User needs no passwd entry (as in container runtimes):
# UID[:GID], group 0 unless given, home /.
expect_rc 0 $BRIG exec -u 4242:4343 h sh -c 'echo "$(id -u):$(id -g):$HOME:$(pwd)"'
expect_eq "numeric user" "4242:4343:/:/etc" "$OUT"
expect_rc 0 $BRIG exec -u 4242 h sh -c 'echo "$(id -u):$(id -g)"'
expect_eq "numeric uid" "4242:0" "$OUT"
expect_rc 127 $BRIG exec -u nosuch h true
expect_grep 'user "nosuch": not found in the jail' "$ERR"
expect_rc 0 $BRIG stop h
expect_eq "exec.stop" "V=one two
/etc" "$(cat "$S/jails/h/root/tmp/stop")"
expect_rc 0 $BRIG destroy h

# A bad value of the new parameters is refused before anything starts.
expect_rc 0 $BRIG create k -t bb persist exec.stop.signal=SIGNOPE exec.workdir=rel 'exec.env=NOEQUALS'
expect_rc 1 $BRIG start k
expect_grep 'exec.stop.signal: "SIGNOPE": not a signal name' "$ERR"
expect_rc 0 $BRIG destroy k
echo ok
