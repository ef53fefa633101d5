# brig as an OCI runtime (brig-oci, cli/fe_oci*.c): a busybox bundle
# through create, state, start, kill, delete as runc's callers drive it;
# the container is a brig jail (brig ls, brig exec see it); what the
# lifecycle refuses (start of a container that is not created, delete of
# a running one) is refused; exec, ps, pause/resume; the holder's exit
# status is the process's.
. tests/integration/lib/common.sh
# brig-oci's and the engines' state under /run stays in the test's mount
# namespace (never the host's /run).
mount -t tmpfs oci-run /run
# skopeo and podman keep state under /var/lib/containers (a blob cache
# even for skopeo copy): the test's own /var/lib, never the host's.
mount -t tmpfs test-varlib /var/lib
. tests/integration/lib/jail.sh

mkdir -p "$T/bin" "$T/bundle"
ln -s "$BRIG" "$T/bin/brig-oci"
OCI="$T/bin/brig-oci"
RT="$T/oci"
B="$T/bundle"
cp -a "$ROOT" "$B/rootfs"

# The default config (brig-oci spec), then the process of the test.
expect_rc 0 "$OCI" spec --bundle "$B"
expect_rc 1 "$OCI" spec --bundle "$B"
expect_grep "exists already" "$ERR"
python3 - "$B/config.json" "$T" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo started; echo $0 $FOO; hostname; exec sleep 1000", "x"]
c["process"]["env"].append("FOO=bar")
c["hostname"] = "ocibox"
c["annotations"] = {"test.key": "value"}
c["linux"]["resources"] = {"pids": {"limit": 50}, "memory": {"limit": 67108864}}
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
                         "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
t = sys.argv[2]
c["hooks"] = {k: [{"path": "/bin/sh", "args": ["sh", "-c", "cat >" + t + "/" + k + ".json"]}]
              for k in ("prestart", "createRuntime", "poststart", "poststop")}
json.dump(c, open(p, "w"))
PY

# create: the jail runs, the process waits for start.
"$OCI" --root "$RT" --log "$T/oci.log" --log-format json create --bundle "$B" --pid-file "$T/pid" c1 \
	>"$T/c1.out" 2>"$T/c1.err" || fail "create: $(cat "$T/c1.err")"
remember_cgroups c1
[ -s "$T/pid" ] || fail "create wrote no pid file"
pid=$(cat "$T/pid")
expect_rc 0 "$OCI" --root "$RT" state c1
expect_grep '"status":"created"' "$OUT"
expect_grep "\"pid\":$pid" "$OUT"
expect_grep '"ociVersion":"1.0.2"' "$OUT"
expect_grep "\"bundle\":\"$B\"" "$OUT"
expect_grep '"test.key":"value"' "$OUT"
# Nothing of the process has run yet.
[ ! -s "$T/c1.out" ] || fail "the process ran before start: $(cat "$T/c1.out")"
# The jail is brig's: brig ls and jls show it.
expect_rc 0 "$BRIG" ls
expect_grep " c1 .*running .*(oci)$" "$OUT"
expect_rc 0 "$BRIG" ls --json
expect_grep '"oci": true' "$OUT"
ln -s "$BRIG" "$T/bin/jls"
expect_rc 0 "$T/bin/jls" -j c1 meta
expect_eq "jls meta" oci "$OUT"
# The hooks of create ran on the host, the state on their stdin.
for h in prestart createRuntime; do
	expect_grep '"id":"c1","status":"created"' "$(cat "$T/$h.json")"
done
[ ! -e "$T/poststart.json" ] || fail "poststart ran before start"
# The limits are the jail's (rctl, from linux.resources).
expect_eq "pids.max" 50 "$(cat "$(cgfile c1 pids.max)")"
# delete of a created... no: start of a running one and delete of a
# running one are refused, below; start now.
expect_rc 0 "$OCI" --root "$RT" start c1
tries=0
until grep -q ocibox "$T/c1.out" 2>/dev/null; do
	tries=$((tries + 1))
	[ $tries -lt 100 ] || fail "the process did not run: $(cat "$T/c1.out" "$T/c1.err")"
	sleep 0.1
done
expect_eq "output" "started
x bar
ocibox" "$(cat "$T/c1.out")"
expect_rc 0 "$OCI" --root "$RT" state c1
expect_grep '"status":"running"' "$OUT"
expect_grep '"status":"running"' "$(cat "$T/poststart.json")"
# The spec's error cases: start of a container that is not created,
# delete of a running one.
expect_rc 1 "$OCI" --root "$RT" start c1
expect_grep "is running, not created" "$ERR"
expect_rc 1 "$OCI" --root "$RT" delete c1
expect_grep "is running: cannot delete" "$ERR"
expect_rc 1 "$OCI" --root "$RT" state nosuch
expect_grep 'container "nosuch" does not exist' "$ERR"
# list, ps, exec (brig's own exec too).
expect_rc 0 "$OCI" --root "$RT" list
expect_grep "^c1 .*running" "$OUT"
expect_rc 0 "$OCI" --root "$RT" list --format json
expect_grep '"id":"c1"' "$OUT"
expect_rc 0 "$OCI" --root "$RT" ps c1
expect_grep "sleep" "$OUT"
expect_rc 0 "$OCI" --root "$RT" exec c1 hostname
expect_eq "exec hostname" ocibox "$OUT"
expect_rc 0 "$OCI" --root "$RT" exec --env X=y c1 sh -c 'echo $X; id -u'
expect_eq "exec" "y
0" "$OUT"
expect_rc 3 "$OCI" --root "$RT" exec c1 sh -c 'exit 3'
# exec --detach: the pid file names the process in the jail (runc's),
# not a brig-oci of ours.
expect_rc 0 "$OCI" --root "$RT" exec --detach --pid-file "$T/epid" c1 sleep 300
epid=$(cat "$T/epid")
expect_eq "exec --detach's pid file" "sleep 300" "$(tr '\0' ' ' <"/proc/$epid/cmdline" | sed 's/ $//')"
expect_rc 0 "$OCI" --root "$RT" ps c1
expect_grep "^ *$epid " "$OUT"
# The bundle's seccomp profile, after brig's filter: mkdir refused (EPERM).
expect_rc 1 "$OCI" --root "$RT" exec c1 mkdir /tmp/x
expect_grep "Operation not permitted" "$ERR"
expect_rc 0 "$BRIG" exec c1 hostname
expect_eq "brig exec" ocibox "$OUT"
# pause/resume where the jail has a cgroup v2 group.
if "$OCI" --root "$RT" pause c1 2>"$T/err"; then
	expect_rc 0 "$OCI" --root "$RT" state c1
	expect_grep '"status":"paused"' "$OUT"
	expect_rc 0 "$OCI" --root "$RT" resume c1
	expect_rc 0 "$OCI" --root "$RT" state c1
	expect_grep '"status":"running"' "$OUT"
else
	expect_grep "needs a cgroup v2 group" "$(cat "$T/err")"
fi
# update: the jail's limits, live (its rctl rules); the others kept.
mem_file=$(cgfile c1 memory.max 2>/dev/null || cgfile c1 memory.limit_in_bytes)
expect_rc 0 "$OCI" --root "$RT" update --pids-limit 40 c1
expect_eq "pids.max updated" 40 "$(cat "$(cgfile c1 pids.max)")"
expect_eq "memory kept" 67108864 "$(cat "$mem_file")"
echo '{"memory": {"limit": 33554432}}' | "$OCI" --root "$RT" update -r - c1 || fail "update -r -"
expect_eq "memory updated" 33554432 "$(cat "$mem_file")"
expect_eq "pids.max kept" 40 "$(cat "$(cgfile c1 pids.max)")"
# kill: the process gets the signal and ends (stopped); the holder then
# takes the jail down.
expect_rc 0 "$OCI" --root "$RT" kill c1 KILL
# (gone, or a zombie its reaper has not waited for yet)
wait_for "the container's process did not end" \
	sh -c '! kill -0 "$1" 2>/dev/null || grep -q "^State:.*Z" "/proc/$1/status"' - "$pid"
expect_rc 0 "$OCI" --root "$RT" state c1
expect_grep '"status":"stopped"' "$OUT"
expect_rc 1 "$OCI" --root "$RT" kill c1
expect_grep "is stopped" "$ERR"
wait_for "the jail of c1 is still there" test ! -e "$BRIG_RUNDIR/c1"
# A brig-oci killed while writing the state (util/writefile.c) leaves
# state.json.brig-PID beside it: delete removes it with the rest.
: >"$RT/c1/state.json.brig-999999"
expect_rc 0 "$OCI" --root "$RT" delete c1
[ ! -e "$RT/c1" ] || fail "delete left $RT/c1: $(ls -A "$RT/c1")"
expect_grep '"id":"c1","status":"stopped"' "$(cat "$T/poststop.json")"
expect_rc 1 "$OCI" --root "$RT" state c1
expect_rc 0 "$OCI" --root "$RT" delete --force c1

# run: create and start, the exit status is the process's.
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["sh", "-c", "exit 7"]
json.dump(c, open(p, "w"))
PY
expect_rc 7 "$OCI" --root "$RT" run --bundle "$B" c2
[ ! -e "$RT/c2" ] || fail "run left $RT/c2"
[ ! -e "$BRIG_RUNDIR/c2" ] || fail "run left the jail c2"

# A program that is not there: create's error (as runc's), nothing left.
cp "$B/config.json" "$T/config.saved"
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["nosuchprog"]
json.dump(c, open(p, "w"))
PY
expect_rc 1 "$OCI" --root "$RT" create --bundle "$B" c4
expect_grep "nosuchprog: not found in PATH" "$ERR"
[ ! -e "$RT/c4" ] || fail "a failed create left $RT/c4"
[ ! -e "$BRIG_RUNDIR/c4" ] || fail "a failed create left the jail c4"
mv "$T/config.saved" "$B/config.json"

# A created container deleted before it starts: holder and jail go.
expect_rc 0 "$OCI" --root "$RT" create --bundle "$B" c3
remember_cgroups c3
expect_rc 0 "$OCI" --root "$RT" delete c3
[ ! -e "$BRIG_RUNDIR/c3" ] || fail "delete left the jail c3"

# A startContainer hook that fails: start fails (the spec's error), the
# program never runs, and the container stops.
cp "$B/config.json" "$T/config.saved"
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["sh", "-c", "echo ran"]
c["hooks"] = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "exit 1"]}]}
json.dump(c, open(p, "w"))
PY
"$OCI" --root "$RT" create --bundle "$B" c5 >"$T/c5.out" 2>"$T/c5.err" || fail "create c5: $(cat "$T/c5.err")"
remember_cgroups c5
expect_rc 1 "$OCI" --root "$RT" start c5
expect_grep 'container "c5": a startContainer hook failed' "$ERR"
wait_for "c5 did not stop" sh -c '"$1" --root "$2" state c5 | grep -q "\"status\":\"stopped\""' - "$OCI" "$RT"
expect_rc 0 "$OCI" --root "$RT" delete c5
[ ! -e "$BRIG_RUNDIR/c5" ] || fail "delete left the jail c5"
grep -q ran "$T/c5.out" && fail "the program ran after its startContainer hook failed"
mv "$T/config.saved" "$B/config.json"

# A read-only root (root.readonly); a user namespace (uidMappings: the
# root an idmapped copy, root in it the host's 100000).
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["args"] = ["sh", "-c", "touch /f"]
c["root"]["readonly"] = True
json.dump(c, open(p, "w"))
PY
expect_rc 1 "$OCI" --root "$RT" run --bundle "$B" ro
expect_grep "Read-only file system" "$ERR"
mkdir "$T/ub"
cp -a "$ROOT" "$T/ub/rootfs"
expect_rc 0 "$OCI" spec --rootless --bundle "$T/ub"
python3 - "$T/ub/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "cat /proc/self/uid_map; touch /tmp/f; stat -c %u /tmp/f"]
json.dump(c, open(p, "w"))
PY
expect_rc 0 "$OCI" --root "$RT" run --bundle "$T/ub" us
expect_eq "userns" "0     100000      65536
0" "$(printf '%s\n' "$OUT" | sed 's/^ *//')"
# The tree keeps its ids: the root is an idmapped mount of it.
expect_eq "owner on the host" 0 "$(stat -c %u "$T/ub/rootfs/tmp/f")"

# What brig cannot honour is refused by its key, before anything exists.
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["linux"]["intelRdt"] = {"closID": "x"}
json.dump(c, open(p, "w"))
PY
expect_rc 1 "$OCI" --root "$RT" --log "$T/oci.log" --log-format json create --bundle "$B" c4
expect_grep "linux: \"intelRdt\" is not supported" "$ERR"
[ ! -e "$RT/c4" ] || fail "a refused create left $RT/c4"
# The log, in runc's JSON lines, as conmon and containerd read it.
expect_grep '^{"level":"error","msg":"config.json: linux: \\"intelRdt\\" is not supported by brig","time":"' \
	"$(tail -n 1 "$T/oci.log")"
expect_rc 1 "$OCI" --systemd-cgroup list
expect_grep "systemd-cgroup: not supported" "$ERR"
assert_clean
