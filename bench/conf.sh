#!/bin/sh
# Benchmark of the configuration engine (issues 2 and 14): 10,000 jails,
# checked and shown as JSON, in five layouts: "files" (10,000 files of one
# jail each in jail.conf.d, an included common file, a wildcard file),
# "include" (the same, and jail.conf ends with FreeBSD's usual .include of
# jail.conf.d/*.conf), "groups" (100 files of 100 jails, partial
# wildcards), "big" (one jail.conf of 2 MB), "rctl" (big, and an
# rctl.conf of a rule per jail) and "bridged" (10,000 vnet jails on
# bridges that networks.conf declares, each with an address and an rdr:
# config check then checks every jail's network, and against the others). Prints the median wall time of several
# runs and the peak memory, against the targets: median < 50 ms, peak
# < 64 MiB, and the ratio to a floor measured in the same run: bench/conf_floor.c, which
# only lists the folder and reads the same files (open, read, close) with
# one thread. brig reads a jail.conf.d of 512 files or more with two
# threads when it has two CPUs: for those layouts a second floor, the same
# reads by two threads (conf_floor -2), and brig's ratio to it. On a
# shared machine the CPU ratio is the steadier figure: the wall time of the
# 10,000-file layouts depends on a second CPU being free.
# Exits 1 if a target is missed.
#
#   BUILD=build sh bench/conf.sh       (make bench runs it)
#   RUNS=11 LAYOUT=files|include|groups|big|rctl|bridged|all
#   BASE=/path/to/other/brig   also measures that build in the same run
#                              (interleaved with brig) and prints brig/base
set -eu
cd "$(dirname "$0")/.."
BRIG=${BRIG:-$PWD/${BUILD:-build}/brig}
RUNS=${RUNS:-11}
LAYOUT=${LAYOUT:-all}
[ -x "$BRIG" ] || { echo "bench/conf: build $BRIG first (make)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench/conf: python3 is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/conf: GNU time (/usr/bin/time) is needed" >&2; exit 1; }
dir=$(mktemp -d /tmp/brig-bench-conf.XXXXXX)
[ -n "${KEEP:-}" ] && echo "bench/conf: keeping $dir" >&2 || trap 'rm -rf "$dir"' EXIT
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -Wall -Werror -pthread -o "$dir/conf_floor" bench/conf_floor.c

python3 - "$BRIG" "$dir" "$RUNS" "$LAYOUT" "${BASE:-}" <<'PY'
import os, resource, statistics, subprocess, sys, time

brig, top, runs, layout, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
floor = os.path.join(top, "conf_floor")
JAILS = 10000

GLOBAL = """# Global parameters: the wildcard jail "*".
exec.start = "/bin/sh /etc/rc";
exec.stop = "/bin/sh /etc/rc.shutdown";
exec.clean;
mount.devfs;
path = "/usr/local/jails/$name";
host.hostname = "$name.example.org";
"""
# The seed's base.conf, included inside every jail block.
COMMON = """vnet;
vnet.interface = "epair_${short}b";
exec.prestart = "/usr/local/libexec/jail-epair.sh up ${name} ${short} ${bridge}";
exec.poststart = "/usr/local/libexec/jail-net.sh ${name} ${short} ${ip4} ${gw4}";
exec.poststop = "/usr/local/libexec/jail-epair.sh down ${name} ${short}";
exec.consolelog = "/var/log/jail_console_${name}.log";
allow.raw_sockets;
"""

def jail(name, short, g, i):
    return ('%s {\n\t$short = "%s";\n\t$ip4 = "10.%d.%d.%d/16";\n'
            '\t.include "common.inc";\n}\n' % (name, short, g % 250, i // 250, i % 250 + 1))

def groups(d):
    """100 files of 100 jails: a parent jail, 99 children, a partial wildcard."""
    sub = os.path.join(d, "jail.conf.d")
    os.makedirs(sub)
    open(os.path.join(d, "jail.conf"), "w").write(GLOBAL)
    open(os.path.join(sub, "common.inc"), "w").write(COMMON)
    for g in range(100):
        name = "g%03d" % g
        out = ['# group %d\n%s.* { $bridge = "br%d"; $gw4 = "10.%d.0.1"; depend = %s; }\n'
               % (g, name, g, g, name), "%s {\n\tpersist;\n" % name]
        for i in range(99):
            out.append("\t" + jail("j%02d" % i, "%sj%02d" % (name, i), g, i).replace("\n", "\n\t").rstrip("\t"))
        out.append("}\n")
        open(os.path.join(sub, name + ".conf"), "w").write("".join(out))

def files(d):
    """10,000 files of one jail each, as the seed does, plus one wildcard file."""
    sub = os.path.join(d, "jail.conf.d")
    os.makedirs(sub)
    open(os.path.join(d, "jail.conf"), "w").write(GLOBAL)
    open(os.path.join(sub, "common.inc"), "w").write(COMMON)
    open(os.path.join(sub, "00-wild.conf"), "w").write(
        '* { $bridge = "bridge0"; $gw4 = "10.0.0.1"; }\n')
    for i in range(JAILS):
        name = "j%05d" % i
        open(os.path.join(sub, name + ".conf"), "w").write(jail(name, name, i // 250, i))

def include(d):
    """The files layout with FreeBSD's habit: jail.conf ends with an
    .include of jail.conf.d/*.conf (each file is still read once)."""
    files(d)
    open(os.path.join(d, "jail.conf"), "a").write('.include "jail.conf.d/*.conf";\n')

def big(d):
    """One jail.conf of 2 MB: the global parameters, then 10,000
    jails written out in full (no include, no wildcard besides "*")."""
    os.makedirs(d)
    out = [GLOBAL]
    for i in range(JAILS):
        name = "j%05d" % i
        out.append('%s {\n\t$short = "%s";\n\t$ip4 = "10.%d.%d.%d/16";\n\tvnet;\n'
                   '\tvnet.interface = "epair_${short}b";\n'
                   '\texec.consolelog = "/var/log/jail_console_${name}.log";\n'
                   '\tallow.raw_sockets;\n\tdevfs_ruleset = 4;\n}\n'
                   % (name, name, i // 250 % 250, i % 250, i % 250 + 1))
    open(os.path.join(d, "jail.conf"), "w").write("".join(out))

def rctl(d):
    """The big layout and an rctl.conf of one rule per jail."""
    big(d)
    open(os.path.join(d, "rctl.conf"), "w").write(
        "".join("jail:j%05d:memoryuse:deny=%dm\n" % (i, 256 + i % 256) for i in range(JAILS)))

def bridged(d):
    """10,000 vnet jails on 10 declared bridges: an address and an rdr each."""
    os.makedirs(d)
    open(os.path.join(d, "networks.conf"), "w").write(
        "".join('br%d { ip4.addr = "10.%d.0.1/16"; nat; }\n' % (b, b) for b in range(10)))
    out = [GLOBAL]
    for i in range(JAILS):
        b = i % 10
        out.append('j%05d {\n\tvnet;\n\tvnet.bridge = "br%d";\n\tip4.addr = "10.%d.%d.%d/16";\n'
                   '\trdr = "tcp %d 80";\n}\n' % (i, b, b, i // 250 % 250, i % 250 + 2, 20000 + i))
    open(os.path.join(d, "jail.conf"), "w").write("".join(out))

def size(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)

def measure(env, args, prog=None, other=None):
    """Median wall time and median CPU time (user + system) of the runs,
    and peak memory; with other, the same of that program, its runs
    interleaved with prog's."""
    progs = [prog or brig] + ([other] if other else [])
    times, cpus = [[] for _ in progs], [[] for _ in progs]
    for k in range(runs + 1):
        for i, p in enumerate(progs):
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            r = subprocess.run([p] + args, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            t = time.perf_counter() - t0
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if r.returncode != 0:
                sys.exit("bench/conf: %s %s failed:\n%s" % (p, " ".join(args), r.stderr.decode()[:2000]))
            if k:	# the first run only warms the page cache
                times[i].append(t)
                cpus[i].append(ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime)
    out = []
    for i, p in enumerate(progs):
        # Peak memory of one run, as GNU time reports it (a fork of this
        # python would count python's own memory).
        r = subprocess.run(["/usr/bin/time", "-f", "%M", p] + args, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        out.append((statistics.median(times[i]) * 1000, statistics.median(cpus[i]) * 1000,
                    int(r.stderr.strip().splitlines()[-1]) / 1024))
    return out if other else out[0]

bad = 0
for kind in (["groups", "files", "include", "big", "rctl", "bridged"] if layout in ("all", "both") else [layout]):
    d = os.path.join(top, kind)
    {"groups": groups, "files": files, "include": include, "big": big, "rctl": rctl,
     "bridged": bridged}[kind](d)
    env = dict(os.environ, BRIG_CONFDIR=d)
    r = subprocess.run([brig, "config", "show", "--json"], env=env, capture_output=True)
    n = r.stdout.count(b'\n') - 2
    print("bench/conf: %s: %d jails, %d files, %.1f MB (%d runs, median; load average %.1f on %d CPUs)"
          % (kind, n, sum(len(f) for _, _, f in os.walk(d)), size(d) / 1e6, runs,
             os.getloadavg()[0], os.cpu_count()))
    fms, fcpu, _ = measure(env, [d], floor)
    print("  %-20s %6.1f ms (CPU %5.1f ms): list and read the same files, nothing else"
          % ("floor", fms, fcpu))
    sub = os.path.join(d, "jail.conf.d")
    two = os.path.isdir(sub) and len(os.listdir(sub)) >= 512 and os.cpu_count() >= 2
    if two:
        f2ms, f2cpu, _ = measure(env, ["-2", d], floor)
        print("  %-20s %6.1f ms (CPU %5.1f ms): the same, jail.conf.d read by two threads"
              % ("floor, 2 threads", f2ms, f2cpu))
    for label, args in (("config check", ["config", "check"]),
                        ("config show --json", ["config", "show", "--json"])):
        m = measure(env, args, other=base or None)
        ms, cpu, mib = m[0] if base else m
        ok = ms < 50 and mib < 64
        bad += not ok
        print("  %-20s %6.1f ms (target < 50 ms, CPU %5.1f ms)  %4.2fx the floor (CPU %4.2fx)"
              "  peak %5.1f MiB (target < 64 MiB)  %s"
              % (label, ms, cpu, ms / fms, cpu / fcpu, mib, "ok" if ok else "MISSED"))
        if two:
            print("  %-20s %4.2fx the 2-thread floor (CPU %4.2fx)" % ("", ms / f2ms, cpu / f2cpu))
        if base:
            bms, bcpu, bmib = m[1]
            print("  %-20s %6.1f ms (CPU %5.1f ms)  peak %5.1f MiB;  brig/base %4.2fx (CPU %4.2fx)"
                  % ("  base", bms, bcpu, bmib, ms / bms, cpu / bcpu))
sys.exit(1 if bad else 0)
PY
