#!/usr/bin/env python3
"""Conformance to the OCI runtime specification, rule by rule, for the
reference (runc) and a runtime under test, on the same bundles.

    oci_conformance.py WORKDIR ROOTFS REF [RUT]

REF and RUT are runtime binaries speaking runc's command line (create,
start, state, kill, delete with --root and --bundle). RUT may be absent:
its half of every rule is then reported as skipped. Each rule is a
sentence of the specification (runtime.md, config.md, config-linux.md of
github.com/opencontainers/runtime-spec) quoted above its check. A rule
prints one line:

    ok    RULE  REF: what it did | RUT: what it did
    FAIL  RULE  ...                 (the runtime that broke it is named)

and both behaviours are printed when they differ, even when both conform.
Exit status: 0 every rule held for both; 1 a rule failed (for the
reference too: then the test is wrong or the host cannot run it); 77 the
reference passed everything and there is no runtime under test.

ROOTFS is a busybox root prepared by the caller, with bin/oci-hook (the
hook script), etc/secret and srv/secretdir/file (masked below).
Every wait is bounded (BOUND seconds), never a timed assertion.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

BOUND = 15
ID = "oci-conf"
HOSTNAME = "oci-conf-host"

work, rootfs, ref = sys.argv[1], sys.argv[2], sys.argv[3]
rut = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
CGPARENT = "oci-conf.%d" % os.getpid()


class Runtime:
    def __init__(self, name, binary):
        self.name, self.binary = name, binary
        self.root = os.path.join(work, "state-" + name)
        os.makedirs(self.root, exist_ok=True)
        self.n = 0

    def run(self, *args, out=None):
        """(status, stdout, stderr) of BINARY --root ROOT ARGS; stdout and
        stderr go through files: a container created with them keeps them
        open (runc hands its stdio to the container process)."""
        self.n += 1
        o = out or os.path.join(work, "o.%s.%d" % (self.name, self.n))
        e = os.path.join(work, "e.%s.%d" % (self.name, self.n))
        with open(o, "ab") as fo, open(e, "wb") as fe:
            try:
                rc = subprocess.call([self.binary, "--root", self.root] + list(args),
                                     stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                     timeout=BOUND)
            except subprocess.TimeoutExpired:
                rc = 124
        err = open(e).read().strip().splitlines()
        err = "; ".join([l for l in err if "warning" not in l.lower()] or err)
        return rc, "" if out else open(o).read(), err

    def state(self, cid=ID):
        rc, out, err = self.run("state", cid)
        if rc != 0:
            return None
        try:
            return json.loads(out)
        except ValueError:
            return {"_unparsable": out}

    def status(self, cid=ID):
        s = self.state(cid)
        return s.get("status") if s else None

    def wait_status(self, want, cid=ID):
        end = time.monotonic() + BOUND
        while time.monotonic() < end:
            if self.status(cid) == want:
                return True
            time.sleep(0.02)
        return False

    def cleanup(self, cid=ID):
        self.run("delete", "--force", cid)


def wait_file(path, text):
    end = time.monotonic() + BOUND
    while time.monotonic() < end:
        if os.path.exists(path) and text in open(path).read():
            return True
        time.sleep(0.02)
    return False


def cmdline(pid):
    try:
        return open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")[:-1]
    except (OSError, TypeError):
        return None


def find_pid(args):
    """The pid of the process whose argv is ARGS (the user's program,
    whatever pid a runtime reports), or None once BOUND has passed."""
    want = [a.encode() for a in args]
    end = time.monotonic() + BOUND
    while time.monotonic() < end:
        for d in os.listdir("/proc"):
            if d.isdigit() and cmdline(int(d)) == want:
                return int(d)
        time.sleep(0.02)
    return None


def ns(pid, kind):
    try:
        return os.readlink("/proc/%s/ns/%s" % (pid, kind))
    except OSError:
        return None


# The bundle: runc spec's defaults (namespaces, mounts, masked and
# read-only paths), the busybox root, and what a scenario adds.
def config(args, **kw):
    c = {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": args,
            "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
            "cwd": "/",
            "capabilities": {k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                             for k in ("bounding", "effective", "permitted")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": rootfs, "readonly": True},
        "hostname": HOSTNAME,
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/out", "type": "bind", "source": os.path.join(work, "out"),
             "options": ["rbind", "rw"]},
        ],
        "annotations": {"org.example.oci-conf": "annotation-value"},
        "linux": {
            "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
            "cgroupsPath": "/%s/%s" % (CGPARENT, ID),
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "maskedPaths": ["/proc/kcore", "/proc/keys", "/sys/firmware"],
            "readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"],
        },
    }
    for k, v in kw.items():
        if k == "process":
            c["process"].update(v)
        elif k == "linux":
            c["linux"].update(v)
        elif k == "mounts":
            c["mounts"] += v
        else:
            c[k] = v
    return c


def bundle(name, cfg):
    b = os.path.join(work, "bundle-" + name)
    os.makedirs(b, exist_ok=True)
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    return b


def fresh_out():
    o = os.path.join(work, "out")
    shutil.rmtree(o, ignore_errors=True)
    os.makedirs(o)
    os.chmod(o, 0o777)
    return o


# Scenarios: each runs once per runtime on the same bundle and returns
# what it saw (a dict); the rules below judge those dicts.

LIFE_ARGS = ["/bin/sh", "-c",
             "trap 'echo got-usr1 >>/out/log' USR1; echo ran >>/out/log; "
             "while :; do sleep 1000 & wait; done"]


def scn_lifecycle(rt, b):
    o = fresh_out()
    log = os.path.join(o, "log")
    s = {}
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.path.join(work, "stdout-" + rt.name))
    s["create"] = (rc, err)
    st = rt.state()
    s["created_state"] = st
    pid = st.get("pid") if isinstance(st, dict) else None
    s["created_cmdline"] = cmdline(pid) if isinstance(pid, int) else None
    s["created_ran"] = os.path.exists(log) and "ran" in open(log).read()
    # create with the id in use
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s["dup_create"] = (rc, err, rt.state())
    rc, _, err = rt.run("start", ID)
    s["start"] = (rc, err)
    s["ran"] = wait_file(log, "ran")
    st = rt.state()
    s["running_state"] = st
    pid = st.get("pid") if isinstance(st, dict) else None
    s["running_cmdline"] = cmdline(pid) if isinstance(pid, int) else None
    # start again: the container is running, not created
    rc, _, err = rt.run("start", ID)
    s["restart"] = (rc, err, rt.state())
    # delete without --force while running
    rc, _, err = rt.run("delete", ID)
    st = rt.state()
    s["delete_running"] = (rc, err, st, pid_alive(st))
    rc, _, err = rt.run("kill", ID, "USR1")
    s["kill_usr1"] = (rc, err, wait_file(log, "got-usr1"))
    rc, _, err = rt.run("kill", ID, "KILL")
    s["kill_kill"] = (rc, err, rt.wait_status("stopped"))
    s["stopped_state"] = rt.state()
    rc, _, err = rt.run("kill", ID, "KILL")
    s["kill_stopped"] = (rc, err, rt.state())
    rc, _, err = rt.run("delete", ID)
    s["delete"] = (rc, err, rt.state())
    # unknown ids
    s["unknown"] = {op: rt.run(*args)[0] for op, args in (
        ("state", ("state", "no-such-ctr")), ("start", ("start", "no-such-ctr")),
        ("kill", ("kill", "no-such-ctr", "KILL")), ("delete", ("delete", "no-such-ctr")))}
    rt.cleanup()
    return s


def scn_force(rt, b):
    """runc's `delete --force` of a running container."""
    fresh_out()
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s = {"create": (rc, err)}
    rt.run("start", ID)
    rt.wait_status("running")
    pid = (rt.state() or {}).get("pid")
    rc, _, err = rt.run("delete", "--force", ID)
    s["force"] = (rc, err, rt.state(), os.path.exists("/proc/%s" % pid) if pid else None)
    rt.cleanup()
    return s


CLI_ARGS = ["/bin/sh", "-c", "while :; do sleep 1000 & wait; done"]


def scn_cli(rt, b):
    """runc's command line beyond the spec's operations, as the engines use it."""
    fresh_out()
    s = {}
    pidf = os.path.join(work, "pid-" + rt.name)
    rc, _, err = rt.run("create", "--bundle", b, "--pid-file", pidf, ID, out=os.devnull)
    s["create"] = (rc, err)
    st = rt.state() or {}
    s["pidfile"] = (open(pidf).read().strip() if os.path.exists(pidf) else None, st.get("pid"))
    rt.run("start", ID)
    rt.wait_status("running")
    user = find_pid(CLI_ARGS)
    s["user_ns"] = (ns(user, "pid"), ns(user, "mnt"))
    s["exec"] = rt.run("exec", ID, "/bin/sh", "-c",
                       "echo exec-ok; readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt")
    s["ps"] = rt.run("ps", "--format", "json", ID) + (user,)
    rc, _, err = rt.run("pause", ID)
    s["pause"] = (rc, err, rt.status())
    rc, _, err = rt.run("resume", ID)
    s["resume"] = (rc, err, rt.status())
    rt.cleanup()
    s["features"] = rt.run("features")
    logf = os.path.join(work, "log-" + rt.name)
    rc, _, err = rt.run("--log", logf, "--log-format", "json", "start", "no-such-ctr")
    s["log"] = (rc, open(logf).read() if os.path.exists(logf) else "")
    d = os.path.join(work, "spec-" + rt.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    rc, _, err = rt.run("spec", "--bundle", d)
    try:
        spec = json.load(open(os.path.join(d, "config.json")))
    except (OSError, ValueError):
        spec = None
    s["spec"] = (rc, err, spec)
    return s


def trapper(name):
    """sh that logs USR1 and USR2 to /out/NAME, in the order it takes them (dash runs pending
    traps lowest signal first), after /out/NAME-ready."""
    return ("trap 'echo usr1 >>/out/%s' USR1; trap 'echo usr2 >>/out/%s' USR2; "
            "echo ready >/out/%s-ready; while :; do sleep 1000 & wait; done" % (name, name, name))


def scn_kill(rt, b):
    """kill without --all (the container's process only) and with --all (every process),
    beside a process entered with exec --detach. A USR1 that reached the exec'd process
    would be logged before its USR2, which the --all sends after: no timed negative."""
    o = fresh_out()
    s = {}
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s["create"] = (rc, err)
    rt.run("start", ID)
    s["main_ready"] = wait_file(os.path.join(o, "main-ready"), "ready")
    rc, _, err = rt.run("exec", "--detach", ID, "/bin/sh", "-c", trapper("exec"))
    s["exec"] = (rc, err)
    s["exec_ready"] = wait_file(os.path.join(o, "exec-ready"), "ready")
    s["kill"] = rt.run("kill", ID, "USR1")[:3:2]
    s["main_usr1"] = wait_file(os.path.join(o, "main"), "usr1")
    s["kill_all"] = rt.run("kill", "--all", ID, "USR2")[:3:2]
    s["exec_usr2"] = wait_file(os.path.join(o, "exec"), "usr2")
    s["main_usr2"] = wait_file(os.path.join(o, "main"), "usr2")
    read = lambda n: open(os.path.join(o, n)).read().split() if os.path.exists(os.path.join(o, n)) else []
    s["main_log"], s["exec_log"] = read("main"), read("exec")
    rt.cleanup()
    return s


HOOKS = ("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")


def hooks_cfg():
    hook = os.path.join(rootfs, "bin/oci-hook")
    hlog = os.path.join(work, "out/hooks")
    h = {}
    for name in HOOKS:
        if name == "startContainer":   # resolves in the container namespace
            h[name] = [{"path": "/bin/oci-hook", "args": ["oci-hook", name, "/out/hooks"]}]
        else:
            h[name] = [{"path": hook, "args": ["oci-hook", name, hlog]}]
    return h


def read_hooks():
    p = os.path.join(work, "out/hooks")
    r = []
    if os.path.exists(p):
        for line in open(p):
            f = line.rstrip("\n").split(" ", 3)
            if len(f) == 4:
                try:
                    st = json.loads(f[3])
                except ValueError:
                    st = None
                r.append({"name": f[0], "mnt": f[1], "uts": f[2], "state": st})
    return r


def scn_hooks(rt, b):
    fresh_out()
    s = {}
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s["create"] = (rc, err)
    s["after_create"] = [h["name"] for h in read_hooks()]
    if rc != 0:
        s.update(after_start=[], hooks=read_hooks(), ctr_mnt=None, self_mnt=ns("self", "mnt"))
        rt.cleanup()
        return s
    st = rt.state() or {}
    s["ctr_mnt"] = ns(st.get("pid"), "mnt")
    rc, _, err = rt.run("start", ID)
    s["start"] = (rc, err)
    s["after_start"] = [h["name"] for h in read_hooks()]
    rt.run("kill", ID, "KILL")
    rt.wait_status("stopped")
    rc, _, err = rt.run("delete", ID)
    s["delete"] = (rc, err)
    s["hooks"] = read_hooks()
    s["self_mnt"] = ns("self", "mnt")
    rt.cleanup()
    return s


# What the process sees: one line per fact, in /out/facts.
FACTS = ("echo cwd=$(pwd); echo env=$OCI_CONF_ENV; echo argc=$#; echo arg1=$1; echo arg2=[$2]; "
         "echo uid=$(id -u); echo gid=$(id -g); echo groups=$(id -G); echo hostname=$(hostname); "
         "echo nofile=$(ulimit -n)/$(ulimit -Hn); grep NoNewPrivs /proc/self/status; "
         "echo data=$(cat /data/hello); "
         "for n in net ipc uts mnt pid; do echo ns_$n=$(readlink /proc/self/ns/$n); done; "
         "sed 's/^/mnt /' /proc/self/mountinfo")


def process_cfg():
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "hello"), "w") as f:
        f.write("hello-from-host\n")
    return config(
        ["/bin/sh", "-c", "{ " + FACTS + "; } >/out/facts 2>&1", "arg0", "two words", ""],
        process={"cwd": "/tmp",
                 "env": ["PATH=/bin", "OCI_CONF_ENV=env value=1"],
                 "user": {"uid": 1000, "gid": 1001, "additionalGids": [2000, 3000]},
                 "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 456, "soft": 123}],
                 "noNewPrivileges": True},
        mounts=[{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "nodev", "size=64k", "mode=1777"]},
                {"destination": "/data", "type": "bind", "source": data,
                 "options": ["rbind", "ro"]}],
        linux={"readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger"]})


# maskedPaths: as root (uid 0 could read them unmasked), paths of /proc
# (what runtimes' default configs mask) and paths anywhere else.
MASK_FACTS = ("echo kcore=[$(head -c 1 /proc/kcore | wc -c)]; echo procfs=[$(ls /proc/fs 2>&1)]; "
              "echo secret=[$(cat /etc/secret 2>&1)]; echo secretdir=[$(ls /srv/secretdir 2>&1)]")


def masked_cfg(paths):
    return config(["/bin/sh", "-c", "{ " + MASK_FACTS + "; } >/out/facts 2>&1"],
                  linux={"maskedPaths": paths})


def scn_process(rt, b):
    o = fresh_out()
    s = {}
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s["create"] = (rc, err)
    s["start"] = (None, "not started")
    if rc == 0:
        rc, _, err = rt.run("start", ID)
        s["start"] = (rc, err)
        s["stopped"] = rt.wait_status("stopped")
    facts, mounts = {}, []
    p = os.path.join(o, "facts")
    s["raw"] = open(p).read() if os.path.exists(p) else ""
    if os.path.exists(p):
        for line in open(p):
            line = line.rstrip("\n")
            if line.startswith("mnt "):
                # mountinfo: ID PARENT DEV ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER
                f = line.split()[1:]
                d = f.index("-")
                mounts.append([f[4], f[5], f[d + 1], f[d + 3] if len(f) > d + 3 else ""])
            elif "=" in line:
                k, v = line.split("=", 1)
                facts[k] = v
            elif ":" in line:
                k, v = line.split(":", 1)
                facts[k] = v.strip()
    s["facts"], s["mounts"] = facts, mounts
    rt.run("delete", ID)
    rt.cleanup()
    return s


def scn_bad(rt, b):
    """A create that must fail, and leave nothing behind."""
    fresh_out()
    rc, _, err = rt.run("create", "--bundle", b, ID, out=os.devnull)
    s = {"create": (rc, err), "state_after": rt.state(), "ran": os.path.exists(os.path.join(work, "out/ran"))}
    rt.cleanup()
    return s


def bad_cfg(rlimits):
    return config(["/bin/sh", "-c", "echo ran >/out/ran"],
                  process={"rlimits": rlimits})


# Capabilities: a set every runtime can grant, and the default set of
# Docker, containerd and Kubernetes (CAP_MKNOD among them).
CAPS_KEPT = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
CAPS_KEPT_MASK = "%016x" % ((1 << 0) | (1 << 5) | (1 << 10))
CAPS_ENGINES = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]


def caps_cfg(caps):
    return config(["/bin/sh", "-c", "{ grep ^Cap /proc/self/status; echo ran=yes; } >/out/facts 2>&1"],
                  process={"capabilities": {k: caps for k in ("bounding", "effective", "permitted")}})


# Namespaces to join: a process of the test's own holds a network and an
# IPC namespace (as a CNI plugin's or a pod's infra container's would).
_holder = []
_holder_ns = {}


def holder():
    if not _holder:
        _holder.append(subprocess.Popen(["unshare", "--net", "--ipc", "--uts", "sleep", "100000"]))
        end = time.monotonic() + BOUND
        while ns(_holder[0].pid, "net") == ns("self", "net") and time.monotonic() < end:
            time.sleep(0.01)
        _holder_ns.update({k: ns(_holder[0].pid, k) for k in ("net", "ipc", "uts")})
    return _holder[0].pid


NS_FACTS = "for n in net ipc uts; do echo ns_$n=$(readlink /proc/self/ns/$n); done; echo ran=yes"


def ns_cfg(namespaces, args=None):
    return config(args or ["/bin/sh", "-c", "{ " + NS_FACTS + "; } >/out/facts 2>&1; echo ran >/out/ran"],
                  linux={"namespaces": namespaces})


def ns_join_cfg(kind, oci_type):
    joined = {"type": oci_type, "path": "/proc/%d/ns/%s" % (holder(), kind)}
    return ns_cfg([joined] + [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount") if t != oci_type])


SCENARIOS = {
    "lifecycle": (lambda: config(LIFE_ARGS), scn_lifecycle),
    "force": (lambda: config(["/bin/sleep", "1000"]), scn_force),
    "kill": (lambda: config(["/bin/sh", "-c", trapper("main")]), scn_kill),
    "cli": (lambda: config(CLI_ARGS), scn_cli),
    "hooks": (lambda: config(["/bin/sleep", "1000"], hooks=hooks_cfg()), scn_hooks),
    "process": (process_cfg, scn_process),
    "mount-order": (lambda: config(["/bin/sh", "-c", "sed 's/^/mnt /' /proc/self/mountinfo >/out/facts"],
                                   mounts=[{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs",
                                            "options": ["size=64k"]},
                                           {"destination": "/scratch/data", "type": "bind",
                                            "source": os.path.join(work, "data"), "options": ["rbind", "ro"]}]),
                    scn_process),
    "caps-kept": (lambda: caps_cfg(CAPS_KEPT), scn_process),
    "caps-engines": (lambda: caps_cfg(CAPS_ENGINES), scn_process),
    "ns-join-net": (lambda: ns_join_cfg("net", "network"), scn_process),
    "ns-join-ipc": (lambda: ns_join_cfg("ipc", "ipc"), scn_process),
    "ns-inherit": (lambda: ns_cfg([{"type": t} for t in ("pid", "ipc", "uts", "mount")]), scn_process),
    "ns-wrong-type": (lambda: ns_cfg([{"type": "pid"}, {"type": "mount"},
                                      {"type": "network", "path": "/proc/%d/ns/uts" % holder()}]), scn_bad),
    "ns-duplicate": (lambda: ns_cfg([{"type": "pid"}, {"type": "mount"}, {"type": "network"},
                                     {"type": "network"}]), scn_bad),
    "masked-proc": (lambda: masked_cfg(["/proc/kcore", "/proc/fs"]), scn_process),
    "masked-any": (lambda: masked_cfg(["/etc/secret", "/srv/secretdir"]), scn_process),
    "dup-rlimit": (lambda: bad_cfg([{"type": "RLIMIT_NOFILE", "hard": 100, "soft": 100},
                                    {"type": "RLIMIT_NOFILE", "hard": 200, "soft": 200}]), scn_bad),
    "bad-rlimit": (lambda: bad_cfg([{"type": "RLIMIT_NO_SUCH_LIMIT", "hard": 1, "soft": 1}]), scn_bad),
}


# Rules: (name, scenario, spec sentence, judge). judge(obs) returns
# (held, what it saw as a short string).
def rc_of(t):
    return "rc=%s" % t[0]


def st_of(st):
    return "state=%s" % (st.get("status") if isinstance(st, dict) else "none")


def pid_alive(st):
    return isinstance(st, dict) and isinstance(st.get("pid"), int) and os.path.exists("/proc/%d" % st["pid"])


RULES = []
# Rules the reference is known to break, with where that is recorded: the
# reference's half is then reported, not counted; the runtime under test
# must still keep them.
REF_KNOWN = {
    "hooks.order": "runc releases before opencontainers/runc#5186 (merged 2026-03) run poststart "
                   "hooks in create, before startContainer "
                   "(opencontainers/runc#1710)",
    "hooks.phases": "the same (opencontainers/runc#1710)",
}

# Rules brig-oci does not hold yet, each with why: reported as "gap", not
# counted; one that holds now fails the run until it leaves this list (it
# only ever shrinks). Issue 19 carries them.
RUT_GAPS = {
}


def rule(name, scenario, spec):
    def deco(f):
        RULES.append((name, scenario, spec, f))
        return f
    return deco


@rule("create.succeeds", "lifecycle",
      "runtime.md Create: This operation MUST create a new container.")
def _(o):
    return o["create"][0] == 0 and o["created_state"] is not None, "%s %s %s" % (
        rc_of(o["create"]), st_of(o["created_state"]), o["create"][1][:100])


@rule("state.ociVersion", "lifecycle",
      "runtime.md State: ociVersion (string, REQUIRED) is version of the Open Container "
      "Initiative Runtime Specification with which the state complies.")
def _(o):
    v = (o["created_state"] or {}).get("ociVersion")
    return isinstance(v, str) and re.match(r"^\d+\.\d+\.\d+", v) is not None, "ociVersion=%r" % v


@rule("state.id", "lifecycle",
      "runtime.md State: id (string, REQUIRED) is the container's ID.")
def _(o):
    v = (o["created_state"] or {}).get("id")
    return v == ID, "id=%r" % v


@rule("state.status-created", "lifecycle",
      "runtime.md State: created: the runtime has finished the create operation, and the "
      "container process has neither exited nor executed the user-specified program")
def _(o):
    v = (o["created_state"] or {}).get("status")
    return v == "created", "status=%r" % v


@rule("state.pid", "lifecycle",
      "runtime.md State: pid (int, REQUIRED when status is created or running on Linux) "
      "is the ID of the container process.")
def _(o):
    a, b = o["created_state"] or {}, o["running_state"] or {}
    ok = isinstance(a.get("pid"), int) and a["pid"] > 0 and isinstance(b.get("pid"), int) and b["pid"] > 0
    return ok, "created pid=%s running pid=%s" % (
        "int" if isinstance(a.get("pid"), int) else a.get("pid"),
        "int" if isinstance(b.get("pid"), int) else b.get("pid"))


@rule("state.bundle", "lifecycle",
      "runtime.md State: bundle (string, REQUIRED) is the absolute path to the container's "
      "bundle directory.")
def _(o):
    v = (o["created_state"] or {}).get("bundle")
    want = os.path.realpath(os.path.join(work, "bundle-lifecycle"))
    return isinstance(v, str) and os.path.isabs(v) and os.path.realpath(v) == want, "bundle=%s" % (
        "ok" if v and os.path.realpath(v) == want else repr(v))


@rule("state.annotations", "lifecycle",
      "runtime.md State: annotations (map, OPTIONAL) contains the list of annotations "
      "associated with the container.")
def _(o):
    v = (o["created_state"] or {}).get("annotations")
    return v == {"org.example.oci-conf": "annotation-value"}, "annotations=%r" % (v,)


@rule("create.no-process-yet", "lifecycle",
      "runtime.md Create: process.args MUST NOT be applied until triggered by the start operation.")
def _(o):
    cl = o["created_cmdline"]
    user = [a.encode() for a in LIFE_ARGS]
    ok = o["create"][0] == 0 and not o["created_ran"] and cl is not None and cl != user
    return ok, "before start: program %s, container process %s" % (
        "ran" if o["created_ran"] else "not run",
        "missing" if cl is None else ("is the user's program" if cl == user else "is the runtime's"))


@rule("start.runs-program", "lifecycle",
      "runtime.md Start: This operation MUST run the user-specified program as specified by process.")
def _(o):
    return o["start"][0] == 0 and o["ran"], "%s program %s" % (
        rc_of(o["start"]), "ran" if o["ran"] else "did not run")


@rule("state.status-running", "lifecycle",
      "runtime.md State: running: the container process has executed the user-specified "
      "program but has not exited")
def _(o):
    st = o["running_state"] or {}
    cl = o["running_cmdline"]
    ok = st.get("status") == "running" and cl == [a.encode() for a in LIFE_ARGS]
    return ok, "status=%r, pid %s" % (
        st.get("status"), "runs the user's program" if cl == [a.encode() for a in LIFE_ARGS] else
        "runs %r, not the user's program" % (b" ".join(cl or [b"?"]).decode(errors="replace")[:60]))


@rule("create.id-in-use", "lifecycle",
      "runtime.md Create: If the ID provided is not unique across all containers within the "
      "scope of the runtime [...] the implementation MUST generate an error and a new "
      "container MUST NOT be created.")
def _(o):
    rc, err, st = o["dup_create"]
    ok = rc != 0 and isinstance(st, dict) and st.get("status") == "created" and \
        st.get("pid") == (o["created_state"] or {}).get("pid")
    return ok, "rc=%s, existing container %s" % (rc, "unchanged" if ok or rc == 0 and st else st_of(st))


@rule("start.not-created", "lifecycle",
      "runtime.md Start: Attempting to start a container that is not created MUST have no "
      "effect on the container and MUST generate an error.")
def _(o):
    rc, err, st = o["restart"]
    ok = rc != 0 and isinstance(st, dict) and st.get("status") == "running" and \
        st.get("pid") == (o["running_state"] or {}).get("pid")
    return ok, "rc=%s %s" % (rc, st_of(st))


@rule("delete.not-stopped", "lifecycle",
      "runtime.md Delete: Attempting to delete a container that is not stopped MUST have no "
      "effect on the container and MUST generate an error.")
def _(o):
    rc, err, st, alive = o["delete_running"]
    ok = rc != 0 and isinstance(st, dict) and st.get("status") == "running" and alive
    return ok, "rc=%s %s, process %s" % (rc, st_of(st), "alive" if alive else "gone")


@rule("kill.sends-signal", "lifecycle",
      "runtime.md Kill: This operation MUST send the specified signal to the container process.")
def _(o):
    rc, err, got = o["kill_usr1"]
    return rc == 0 and got, "rc=%s, SIGUSR1 %s" % (rc, "handled" if got else "not seen")


@rule("kill.process-only", "kill",
      "runc-kill(8): send the specified signal to the container's init process [...] "
      "--all: send the specified signal to all processes inside the container (without it: "
      "the init process only, not a process entered with exec)")
def _(o):
    ok = o["kill"][0] == 0 and o["main_usr1"] and o["exec_usr2"] and o["exec_log"] == ["usr2"]
    return ok, "kill rc=%s: container process %s; exec'd process logged %s" % (
        o["kill"][0], "got USR1" if o["main_usr1"] else "did not get USR1",
        " ".join(o["exec_log"]) or "nothing (exec %s, ready %s)" % (rc_of(o["exec"]), o["exec_ready"]))


@rule("kill.all", "kill",
      "runc-kill(8) --all: send the specified signal to all processes inside the container")
def _(o):
    ok = o["kill_all"][0] == 0 and o["exec_usr2"] and o["main_usr2"]
    return ok, "kill --all rc=%s: container process %s, exec'd process %s" % (
        o["kill_all"][0], "got USR2" if o["main_usr2"] else "did not get USR2",
        "got USR2" if o["exec_usr2"] else "did not get USR2")


@rule("state.status-stopped", "lifecycle",
      "runtime.md State: stopped: the container process has exited")
def _(o):
    rc, err, stopped = o["kill_kill"]
    return rc == 0 and stopped, "kill KILL rc=%s, %s" % (rc, st_of(o["stopped_state"]))


@rule("kill.not-running", "lifecycle",
      "runtime.md Kill: Attempting to send a signal to a container that is neither created "
      "nor running MUST have no effect on the container and MUST generate an error.")
def _(o):
    rc, err, st = o["kill_stopped"]
    return rc != 0 and isinstance(st, dict) and st.get("status") == "stopped", "rc=%s %s" % (rc, st_of(st))


@rule("delete.stopped", "lifecycle",
      "runtime.md Delete: Deleting a container MUST delete the resources that were created "
      "during the create step.")
def _(o):
    rc, err, st = o["delete"]
    return rc == 0 and st is None, "rc=%s, afterwards %s" % (rc, "unknown" if st is None else st_of(st))


@rule("state.unknown-id", "lifecycle",
      "runtime.md Query State: Attempting to query a container that does not exist MUST "
      "generate an error.")
def _(o):
    return o["unknown"]["state"] != 0, "rc=%s" % o["unknown"]["state"]


@rule("ops.unknown-id", "lifecycle",
      "runtime.md Start/Kill/Delete: This operation MUST generate an error if it is not "
      "provided the container ID (here: an ID no container has).")
def _(o):
    u = o["unknown"]
    return all(u[k] != 0 for k in ("start", "kill", "delete")), " ".join(
        "%s rc=%s" % (k, u[k]) for k in ("start", "kill", "delete"))


@rule("cli.delete-force", "force",
      "runc(8) delete --force: Forcibly deletes the container if it is still running "
      "(uses SIGKILL) (runc's command line, which podman and containerd use)")
def _(o):
    rc, err, st, alive = o["force"]
    return o["create"][0] == 0 and rc == 0 and st is None and alive is False, \
        "rc=%s, afterwards %s, process %s" % (rc, "unknown" if st is None else st_of(st),
                                             {True: "alive", False: "gone", None: "?"}[alive])


@rule("cli.pid-file", "cli",
      "runc-create(8) --pid-file: specify the file to write the process id to "
      "(conmon and containerd's shim read the container's pid there)")
def _(o):
    f, pid = o["pidfile"]
    return f is not None and f == str(pid), "pid file %s" % (
        "missing" if f is None else "= state's pid" if f == str(pid) else "%r, state's pid %r" % (f, pid))


@rule("cli.exec", "cli",
      "runc-exec(8): execute new process inside the container (podman exec, ctr task exec)")
def _(o):
    rc, out, err = o["exec"]
    lines = out.split()
    pidns, mntns = o["user_ns"]
    ok = rc == 0 and "exec-ok" in lines and pidns in lines and mntns in lines and pidns is not None
    return ok, "rc=%s, %s" % (rc, "ran in the user's program's PID and mount namespaces" if ok else
                               "output %r (the program's: %s %s) %s" % (out[:80], pidns, mntns, err[:120]))


@rule("cli.ps-json", "cli",
      "runc-ps(8) --format json: the container's processes, as a JSON list of pids "
      "(the user's program among them)")
def _(o):
    rc, out, err, pid = o["ps"]
    try:
        pids = json.loads(out)
    except ValueError:
        pids = None
    ok = rc == 0 and isinstance(pids, list) and pid in pids
    return ok, "rc=%s, %s" % (rc, "the user's program listed" if ok else "output %r (the program: %s) %s" % (
        out[:80], pid, err[:120]))


@rule("cli.pause-resume", "cli",
      "runc-pause(8): suspends all processes inside the container; runc-resume(8) resumes them "
      "(runtime.md State: Additional values MAY be defined by the runtime: paused)")
def _(o):
    ok = o["pause"][0] == 0 and o["pause"][2] == "paused" and o["resume"][0] == 0 and o["resume"][2] == "running"
    return ok, "pause rc=%s status=%s, resume rc=%s status=%s" % (
        o["pause"][0], o["pause"][2], o["resume"][0], o["resume"][2])


@rule("cli.features", "cli",
      "runc-features(8): show the enabled features, a JSON document "
      "(runtime-spec features.md: ociVersionMin and ociVersionMax are REQUIRED)")
def _(o):
    rc, out, err = o["features"]
    try:
        f = json.loads(out)
    except ValueError:
        f = None
    ok = rc == 0 and isinstance(f, dict) and "ociVersionMin" in f and "ociVersionMax" in f
    return ok, "rc=%s, %s" % (rc, "ociVersionMin/Max given" if ok else "output %r" % out[:100])


@rule("cli.log-json", "cli",
      "runc(8) --log FILE --log-format json: the runtime's errors as JSON lines in FILE "
      "(podman and containerd read their error from there)")
def _(o):
    rc, log = o["log"]
    lines = [l for l in log.splitlines() if l.strip()]
    try:
        recs = [json.loads(l) for l in lines]
    except ValueError:
        recs = None
    ok = rc != 0 and bool(recs) and all(isinstance(r, dict) and "msg" in r and "level" in r for r in recs)
    return ok, "rc=%s, %s" % (rc, "%d JSON line(s) with level and msg" % len(recs) if ok else "log %r" % log[:100])


@rule("cli.spec", "cli",
      "runc-spec(8): creates a new specification file named config.json for the bundle")
def _(o):
    rc, err, spec = o["spec"]
    ok = rc == 0 and isinstance(spec, dict) and "ociVersion" in spec and \
        isinstance(spec.get("process"), dict) and isinstance(spec.get("root"), dict)
    return ok, "rc=%s, %s" % (rc, "config.json with ociVersion, process, root" if ok else err[:120])


@rule("hooks.order", "hooks",
      "config.md Hooks: Hooks MUST be called in the listed order. (prestart, createRuntime, "
      "createContainer, startContainer, poststart, poststop)")
def _(o):
    names = [h["name"] for h in o["hooks"]]
    return names == list(HOOKS), " ".join(names) or "no hook ran"


@rule("hooks.phases", "hooks",
      "config.md: The createRuntime/createContainer hooks MUST be called as part of the create "
      "operation; startContainer [...] as part of the start operation; poststart [...] before "
      "the start operation returns; poststop [...] before the delete operation returns.")
def _(o):
    ok = o["after_create"] == list(HOOKS[:3]) and o["after_start"] == list(HOOKS[:5]) and \
        [h["name"] for h in o["hooks"]] == list(HOOKS)
    return ok, "after create: %s; after start: +%s" % (
        ",".join(o["after_create"]) or "-", ",".join(o["after_start"][len(o["after_create"]):]) or "-")


@rule("hooks.state-stdin", "hooks",
      "config.md Hooks: The state of the container MUST be passed to hooks over stdin")
def _(o):
    bad = [h["name"] for h in o["hooks"] if not isinstance(h["state"], dict) or h["state"].get("id") != ID]
    if not o["hooks"]:
        return False, "no hook ran"
    return not bad, "state on stdin: %s" % ("every hook" if not bad else "not for " + ",".join(bad))


@rule("hooks.namespaces", "hooks",
      "config.md: prestart, createRuntime, poststart, poststop hooks MUST be executed in the "
      "runtime namespace; createContainer, startContainer hooks MUST be executed in the "
      "container namespace.")
def _(o):
    where = {}
    for h in o["hooks"]:
        where[h["name"]] = "runtime" if h["mnt"] == o["self_mnt"] else (
            "container" if h["mnt"] == o["ctr_mnt"] else "other")
    want = {n: ("container" if n in ("createContainer", "startContainer") else "runtime") for n in HOOKS}
    return where == want, " ".join("%s:%s" % (n, where.get(n, "-")) for n in HOOKS)


def fact(name, key, want, spec, scenario="process"):
    @rule(name, scenario, spec)
    def _(o):
        v = o["facts"].get(key)
        if v is None and not o["facts"]:
            return False, "no facts: create %s %s, start %s %s, output %r" % (
                rc_of(o["create"]), o["create"][1][:150], rc_of(o["start"]), o["start"][1][:150], o["raw"][:150])
        return o["start"][0] == 0 and v == want, "%s=%r" % (key, v)


fact("process.cwd", "cwd", "/tmp",
     "config.md Process: cwd (string, REQUIRED) is the working directory that will be set for the executable.")
fact("process.env", "env", "env value=1",
     "config.md Process: env (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008's environ.")
fact("process.args", "arg2", "[]",
     "config.md Process: args (array of strings, OPTIONAL) with similar semantics to "
     "IEEE Std 1003.1-2008 execvp's argv (an empty last argument stays one).")
fact("process.args-words", "arg1", "two words",
     "config.md Process: args [...] execvp's argv (an argument with a space stays one).")
fact("process.user.uid", "uid", "1000",
     "config.md POSIX User: uid (int, REQUIRED) specifies the user ID in the container namespace.")
fact("process.user.gid", "gid", "1001",
     "config.md POSIX User: gid (int, REQUIRED) specifies the group ID in the container namespace.")
fact("process.user.additionalGids", "groups", "1001 2000 3000",
     "config.md POSIX User: additionalGids (array of ints, OPTIONAL) specifies additional "
     "group IDs in the container namespace to be added to the process.")
fact("hostname", "hostname", HOSTNAME,
     "config.md Hostname: hostname (string, OPTIONAL) specifies the container's hostname as "
     "seen by processes running inside the container.")
fact("process.rlimits", "nofile", "123/456",
     "config.md POSIX process: rlim.rlim_cur MUST match the configured value. "
     "rlim.rlim_max MUST match the configured value.")
fact("process.noNewPrivileges", "NoNewPrivs", "1",
     "config.md Linux Process: noNewPrivileges (bool, OPTIONAL) setting noNewPrivileges to "
     "true prevents the process from gaining additional privileges.")
fact("process.capabilities.effective", "CapEff", CAPS_KEPT_MASK,
     "config.md Linux Process: effective (array of strings, OPTIONAL) the effective field is an "
     "array of effective capabilities that are kept for the process. (CAP_CHOWN CAP_KILL "
     "CAP_NET_BIND_SERVICE)", "caps-kept")
fact("process.capabilities.bounding", "CapBnd", CAPS_KEPT_MASK,
     "config.md Linux Process: bounding (array of strings, OPTIONAL) the bounding field is an "
     "array of bounding capabilities that are kept for the process.", "caps-kept")
fact("process.capabilities.not-granted", "ran", "yes",
     "config.md Linux Process: capabilities [...] Any value which cannot be mapped to a relevant "
     "kernel interface, or cannot be granted otherwise MUST be logged as a warning by the "
     "runtime. Runtimes SHOULD NOT fail if the container configuration requests capabilities "
     "that cannot be granted (the engines' default set, CAP_MKNOD among them)", "caps-engines")
fact("linux.maskedPaths.proc-file", "kcore", "[0]",
     "config-linux.md: maskedPaths (array of strings, OPTIONAL) will mask over the provided "
     "paths inside the container so that they cannot be read. (/proc/kcore, read as root)",
     "masked-proc")
fact("linux.maskedPaths.proc-dir", "procfs", "[]",
     "config-linux.md: maskedPaths [...] so that they cannot be read. (the directory /proc/fs)",
     "masked-proc")
fact("linux.maskedPaths.file", "secret", "[]",
     "config-linux.md: maskedPaths [...] The values MUST be absolute paths in the container "
     "namespace. (any path: a file of the root, /etc/secret)", "masked-any")
fact("linux.maskedPaths.dir", "secretdir", "[]",
     "config-linux.md: maskedPaths [...] so that they cannot be read. (a directory of the "
     "root, /srv/secretdir)", "masked-any")
fact("mounts.bind", "data", "hello-from-host",
     "config.md Mounts: mounts (array of objects, OPTIONAL) specifies additional mounts "
     "beyond root. (a bind mount shows the host's file)")


def mount(o, path):
    for m in o["mounts"]:
        if m[0] == path:
            return m
    return None


def opts(m):
    return set(m[1].split(",")) if m else set()


def ns_rule(name, scenario, kind, where, spec):
    """The process's namespace of KIND is WHERE: "holder" (the test's
    holder's), "runtime" (the test's own) or "new" (neither)."""
    @rule(name, scenario, spec)
    def _(o):
        v = o["facts"].get("ns_" + kind)
        if v is None:
            return False, "no facts: create rc=%s %s" % (o["create"][0], o["create"][1][:200])
        mine = ns("self", kind)
        held = _holder_ns.get(kind)
        got = "the holder's" if v == held else "the runtime's" if v == mine else "a new one"
        want = {"holder": "the holder's", "runtime": "the runtime's", "new": "a new one"}[where]
        return got == want, "%s namespace: %s" % (kind, got)


NS_SPEC = "config-linux.md Namespaces: "
ns_rule("linux.namespaces.path-network", "ns-join-net", "net", "holder",
        NS_SPEC + "path (string, OPTIONAL) - namespace file. [...] The runtime MUST place the "
        "container process in the namespace associated with that path. (network, as CNI gives it)")
ns_rule("linux.namespaces.path-ipc", "ns-join-ipc", "ipc", "holder",
        NS_SPEC + "The runtime MUST place the container process in the namespace associated with "
        "that path. (ipc, as a pod's containers share it)")
for kind in ("net", "ipc", "uts", "mnt", "pid"):
    ns_rule("linux.namespaces.new-" + kind, "process", kind, "new",
            NS_SPEC + "If path is not specified, the runtime MUST create a new container "
            "namespace of type type. (%s)" % kind)
ns_rule("linux.namespaces.inherit", "ns-inherit", "net", "runtime",
        NS_SPEC + "If a namespace type is not specified in the namespaces array, the container "
        "MUST inherit the runtime namespace of that type. (network)")


@rule("linux.namespaces.path-wrong-type", "ns-wrong-type",
      NS_SPEC + "The runtime MUST generate an error if path is not associated with a namespace "
      "of type type. (a UTS namespace given as the network namespace)")
def _(o):
    return o["create"][0] != 0 and not o["ran"], "create rc=%s" % o["create"][0]


@rule("linux.namespaces.duplicate", "ns-duplicate",
      NS_SPEC + "If a namespaces field contains duplicated namespaces with same type, the "
      "runtime MUST generate an error.")
def _(o):
    return o["create"][0] != 0 and not o["ran"], "create rc=%s" % o["create"][0]


def ro_mount(name, path, spec):
    @rule(name, "process", spec)
    def _(o):
        m = mount(o, path)
        return "ro" in opts(m), "%s %s" % (path, m[1] if m else "not a mount point")


ro_mount("root.readonly", "/",
         "config.md Root: readonly (bool, OPTIONAL) If true then the root filesystem MUST be "
         "read-only inside the container")
ro_mount("mounts.bind-ro", "/data",
         "config.md Mounts: Runtimes MUST implement the following option strings for Linux: "
         "bind [...] ro (a bind mount with ro is read-only)")
ro_mount("linux.readonlyPaths", "/proc/sys",
         "config-linux.md: readonlyPaths (array of strings, OPTIONAL) will set the provided paths "
         "as readonly inside the container.")


@rule("mounts.tmpfs", "process",
      "config.md Mounts: type (string, OPTIONAL) The type of the filesystem to be mounted. "
      "options [...] Runtimes SHOULD treat unknown options as filesystem-specific ones "
      "(tmpfs, nosuid,nodev, size=64k)")
def _(o):
    m = mount(o, "/scratch")
    ok = m is not None and m[2] == "tmpfs" and {"nosuid", "nodev"} <= opts(m) and "size=64k" in m[3]
    return ok, "/scratch %s" % (" ".join(m[1:]) if m else "not mounted")


@rule("mounts.order", "mount-order",
      "config.md Mounts: The runtime MUST mount entries in the listed order.")
def _(o):
    paths = [m[0] for m in o["mounts"]]
    ok = "/scratch" in paths and "/scratch/data" in paths and paths.index("/scratch") < paths.index("/scratch/data")
    return ok, "/scratch/data %s" % ("on top of /scratch" if ok else "missing or under /scratch")


@rule("process.rlimits-duplicate", "dup-rlimit",
      "config.md POSIX process: If rlimits contains duplicated entries with same type, the "
      "runtime MUST generate an error.")
def _(o):
    return o["create"][0] != 0 and not o["ran"], "create rc=%s" % o["create"][0]


@rule("process.rlimits-unknown", "bad-rlimit",
      "config.md POSIX process: The runtime MUST generate an error for any values which "
      "cannot be mapped to a relevant kernel interface.")
def _(o):
    return o["create"][0] != 0 and not o["ran"], "create rc=%s" % o["create"][0]


@rule("errors.leave-no-state", "bad-rlimit",
      "runtime.md Errors: generating an error MUST leave the state of the environment as if "
      "the operation were never attempted")
def _(o):
    return o["create"][0] != 0 and o["state_after"] is None, "create rc=%s, afterwards %s" % (
        o["create"][0], "unknown" if o["state_after"] is None else st_of(o["state_after"]))


def main():
    rts = [Runtime("runc" if os.path.basename(ref) == "runc" else "ref", ref)]
    if rut:
        rts.append(Runtime(os.path.basename(rut), rut))
    if len(rts) == 2 and rts[0].name == rts[1].name:
        rts[1].name += "-under-test"
    obs = {}
    # The holder's namespaces before any container's: a namespace's inode
    # is reused once it is gone, so one made later could take the number
    # a finished container's was seen with (a new one read as the holder's).
    holder()
    for sname, (mk, run) in SCENARIOS.items():
        b = bundle(sname, mk())
        for rt in rts:
            t0 = time.monotonic()
            try:
                obs[(sname, rt.name)] = run(rt, b)
            except Exception as e:  # a scenario that crashed fails its rules
                obs[(sname, rt.name)] = e
                rt.cleanup()
            obs[(sname, rt.name, "t")] = time.monotonic() - t0
    for h in _holder:
        h.kill()
        h.wait()
    bad = {rt.name: 0 for rt in rts}
    for name, sname, spec, judge in RULES:
        res = []
        for rt in rts:
            o = obs[(sname, rt.name)]
            if isinstance(o, Exception):
                res.append((False, "scenario crashed: %r" % o))
                continue
            try:
                held, what = judge(o)
            except Exception as e:
                held, what = False, "judge crashed: %r" % e
            c = o.get("create")
            if not held and c and c[0] != 0 and "create rc" not in what and "no facts" not in what:
                what += " (create rc=%s: %s)" % (c[0], c[1][:200])
            res.append((held, what))
        failed = [rt.name for rt, (held, _) in zip(rts, res) if not held]
        known = name in REF_KNOWN and rts[0].name in failed and (rts[0].name == "runc")
        if known:
            failed.remove(rts[0].name)
        gap = None
        if len(rts) == 2 and "brig" in rts[1].name and name in RUT_GAPS:
            if rts[1].name in failed:
                failed.remove(rts[1].name)
                gap = "      a known gap of %s: %s" % (rts[1].name, RUT_GAPS[name])
            else:
                failed.append(rts[1].name)
                gap = "      holds now for %s: remove it from RUT_GAPS" % rts[1].name
        for n in failed:
            bad[n] += 1
        print("#  %s" % spec)
        if len(rts) == 2 and res[0][1] != res[1][1]:
            print("%-5s %-34s %s: %s\n%41s %s: %s" % ("FAIL" if failed else "ok", name,
                  rts[0].name, res[0][1], "", rts[1].name, res[1][1]))
        else:
            print("%-5s %-34s %s: %s" % ("FAIL" if failed else "ok", name,
                  " = ".join(rt.name for rt in rts), res[0][1]))
        if failed:
            print("      broken by: %s" % ", ".join(failed))
        if known:
            print("      runc breaks it, a known deviation: %s" % REF_KNOWN[name])
        if gap:
            print(gap)
    for rt in rts:
        print("%s: %d of %d rules held (%.2f s: %s)" % (rt.name, len(RULES) - bad[rt.name], len(RULES),
              sum(obs[(s, rt.name, "t")] for s in SCENARIOS),
              " ".join("%s %.2f" % (s, obs[(s, rt.name, "t")]) for s in SCENARIOS)))
    if any(bad.values()):
        return 1
    return 0 if rut else 77


sys.exit(main())
