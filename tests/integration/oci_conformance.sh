#!/bin/sh
# Conformance to the OCI runtime specification, one check per rule, each
# quoting the sentence of the spec it checks (lib/oci_conformance.py):
# lifecycle states, the state JSON, error cases, create running nothing of
# the user's program, hooks (order, phase, namespaces, state on stdin),
# process (args, env, cwd, user, rlimits, capabilities, noNewPrivileges),
# hostname, namespaces (new, joined by path, inherited), mounts, a
# read-only root, maskedPaths, readonlyPaths. Every rule runs
# for runc (the reference) and for the runtime under test (brig-oci, or
# OCI_RUNTIME=PATH) on the same bundle; both behaviours are printed when
# they differ. Without a runtime under test the runc half still runs and
# the test is skipped, saying why.
. tests/integration/lib/common.sh
. tests/integration/lib/oci.sh
command -v runc >/dev/null || skip "runc is not installed (scripts/deps.sh)"
oci_rootfs "$T/rootfs"
oci_rut
mkdir -p "$T/oci"
rc=0
python3 tests/integration/lib/oci_conformance.py "$T/oci" "$T/rootfs" "$(command -v runc)" "$RUT" || rc=$?
oci_cgroups_gone 'oci-conf.*'
case $rc in
0) ;;
77) skip "runc: every rule held; no runtime under test: $RUT_WHY" ;;
*) fail "a rule of the OCI runtime specification does not hold (see above)" ;;
esac
