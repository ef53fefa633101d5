# The state file across an upgrade: a jail started by the brig before
# (its state in the version 1 text) is listed, entered and stopped by this
# one, with the stop hooks it recorded; a damaged state is an error that
# names the file.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

conf "old { path = \"$ROOT\"; persist; exec.stop = \"touch /tmp/stop-a,b\"; exec.poststop = \"touch $T/poststop\"; }"
expect_rc 0 "$BRIG" start old
remember_cgroups old
st=$BRIG_RUNDIR/old/state
# The state as the brig before wrote it (core/state_v1.c).
python3 - "$st" <<'PY'
import json, sys
path = sys.argv[1]
s = json.load(open(path))
esc = lambda v: v.replace("\\", "\\\\").replace("\n", "\\n")
out = ["brig-jail-state 1", "name " + s["name"], "jid %d" % s["jid"], "status " + s["status"],
       "init %d %d" % (s["init"]["pid"], s["init"]["start"]), "ns " + s["ns"], "caps " + s["caps"]]
if s["socket_af"]:
    out.append("socket_af 1")
out += ["hostname " + esc(s["hostname"]), "path " + esc(s["path"])]
if "userns" in s:
    u = s["userns"]
    out.append("userns %d %d %d" % (u["uid"], u["gid"], u["count"]))
out += ["ip4 " + a for a in s["ip4"]] + ["ip6 " + a for a in s["ip6"]]
# The old brig: a param line per parameter (a list joined by ","), a hook
# line per command of the four stop hooks.
text = lambda v: ("true" if v else "false") if isinstance(v, bool) else str(v)
params = s["jail"]["params"]
for k, v in params.items():
    out.append("param %s %s" % (k, esc(text(v) if not isinstance(v, list) else ",".join(v))))
out.append("hooks")
for k in ("exec.prestop", "exec.stop", "exec.poststop", "exec.release"):
    out += ["hook %s %s" % (k, esc(c)) for c in params.get(k, [])]
out += ["obj %s %s" % (o["kind"], esc(o["id"])) for o in s["objects"]]
open(path + ".v1", "w").write("\n".join(out) + "\n")
PY
mv "$st.v1" "$st"
head -1 "$st" | grep -qx "brig-jail-state 1" || fail "not a version 1 state: $(head -1 "$st")"
# The configuration changed since: the recorded hooks count.
conf "old { path = \"$ROOT\"; persist; exec.stop = \"touch /tmp/wrong\"; }"
expect_rc 0 "$BRIG" ls
expect_grep "old .*running" "$OUT"
expect_rc 0 "$BRIG" exec old cat /proc/1/comm
expect_eq "exec into the jail" "memfd:brig-init" "$OUT"
expect_rc 0 "$BRIG" stop old
[ -e "$ROOT/tmp/stop-a,b" ] || fail "the recorded exec.stop did not run"
[ ! -e "$ROOT/tmp/wrong" ] || fail "the configuration's exec.stop ran"
[ -e "$T/poststop" ] || fail "the recorded exec.poststop did not run"
assert_clean

# Damaged: truncated, or of a version this brig does not know. The error
# names the file and the jail is not taken for stopped.
expect_rc 0 "$BRIG" start old
remember_cgroups old
cp "$st" "$T/good"
head -c 100 "$T/good" >"$st"
expect_rc 1 "$BRIG" stop old
expect_grep "state $st: line " "$ERR"
sed 's/"brig-jail-state": 2/"brig-jail-state": 3/' "$T/good" >"$st"
expect_rc 1 "$BRIG" stop old
expect_grep "state $st: state file version 3: this brig reads versions 1 and 2" "$ERR"
cp "$T/good" "$st"
expect_rc 0 "$BRIG" stop old
assert_clean
