#!/bin/sh
set -eu
. "$(dirname "$0")/lib.sh"
bench_sandbox "$@"
bench_tmpfs
ip link set lo up
B=${B:-$PWD/build/brig}
mk_busybox_root "$T/root"
for rep in 1 2 3 4 5; do
for n in 50 500; do
for ex in "" " ip4 = inherit;"; do
i=1; : >"$BRIG_CONFDIR/jail.conf"
while [ $i -le "$n" ]; do printf 'j%d { path = "%s"; persist;%s }\n' $i "$T/root" "$ex" >>"$BRIG_CONFDIR/jail.conf"; i=$((i+1)); done
"$B" start --all -q
sleep 1.5
python3 -c '
import resource, subprocess, sys, time
r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.monotonic()
subprocess.check_call(sys.argv[3:])
t1 = time.monotonic(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%s %s wall %.3f cpu %.3f load %s" % (sys.argv[1], sys.argv[2], t1-t0, r1.ru_utime-r0.ru_utime+r1.ru_stime-r0.ru_stime, open("/proc/loadavg").read().split()[0]))
' "$n" "$( [ -n "$ex" ] && echo inherit || echo netns)" "$B" stop --all -q
sleep 1.5
done; done; done
kill -KILL -1 2>/dev/null || true
umount -l "$T"
