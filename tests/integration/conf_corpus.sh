# The 30 real-world jail.conf files of tests/corpus/jailconf-real load with
# exactly the jails MANIFEST.json lists; those FreeBSD's jail(8) refuses
# are refused, with a message that points at the problem.
. tests/integration/lib/common.sh
command -v python3 >/dev/null || skip "python3 is needed to read MANIFEST.json"

python3 - "$BRIG" "$T" <<'PY'
import json, os, subprocess, sys

brig, tmp = sys.argv[1], sys.argv[2]
d = "tests/corpus/jailconf-real"
manifest = json.load(open(os.path.join(d, "MANIFEST.json")))
# Refused by jail(8) (see the MANIFEST notes): what the message must say.
refused = {
    "10": "10-tmmvn-bsd-configs-jails-jail.conf:13:31: error: missing ';' before \"exec.prestart\"",
    "24": "24-indgy-app-jail-jail.conf:6:140: error: missing ';' before \"exec.stop\"",
    "19": "19-NikolayDachev-jails-jail.conf:11:5: error: t1: cannot redefine parameter \"name\"",
    "14": "error: cannot include \"/usr/local/etc/qubsd/jail.conf.d/base.conf\": No such file or directory",
    "16": "error: cannot include \"/etc/jail.conf.d/JAILNAME.template\": No such file or directory",
}
# File 12 is a jail.conf.d fragment: its depend names jails of sibling
# files that are not in the corpus. Load it next to stubs for them.
siblings = {"12": ["dns", "ldap"]}
bad = 0
assert len(manifest) == 30, len(manifest)
for name, info in sorted(manifest.items()):
    num = name[:2]
    path = os.path.join(d, name)
    args = [brig, "config", "show", "--json", "-f", path]
    if num in siblings:
        top = os.path.join(tmp, "with-siblings.conf")
        with open(top, "w") as f:
            f.write('.include "%s";\n' % os.path.abspath(path))
            f.write("".join("%s { }\n" % s for s in siblings[num]))
        args[-1] = top
    if num in refused:
        r = subprocess.run([brig, "config", "show", "--json", "-f", name], capture_output=True,
                           text=True, cwd=d)
        ok = r.returncode == 1 and r.stdout == "" and refused[num] in r.stderr
        if not ok:
            print("FAIL %s: expected refusal with [%s], got rc=%d stderr=%s"
                  % (name, refused[num], r.returncode, r.stderr))
            bad += 1
        continue
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL %s: rc=%d\n%s" % (name, r.returncode, r.stderr))
        bad += 1
        continue
    jails = json.loads(r.stdout)
    names = [j["name"] for j in jails if j["name"] not in siblings.get(num, [])]
    if names != info["jails"]:
        print("FAIL %s: jails %s, MANIFEST says %s" % (name, names, info["jails"]))
        bad += 1
    # Every parameter the file sets shows up in some jail (files with jails).
    seen = set(k for j in jails for k in j["params"])
    missing = set(info["params"]) - seen
    if jails and missing:
        print("FAIL %s: parameters lost: %s" % (name, sorted(missing)))
        bad += 1
    print("ok %s: %d jails" % (name, len(names)))
sys.exit(1 if bad else 0)
PY
