# Sourced by the compose_* tests that run jails (after common.sh and
# jail.sh): the busybox root of jail.sh as an OCI image layout, built
# offline by umoci: $T/images/bb, the stand-in for every service's image.
command -v umoci >/dev/null || skip "umoci is not installed (scripts/deps.sh installs it)"
mkdir -p "$T/images"
umoci init --layout "$T/images/bb"
umoci new --image "$T/images/bb:latest"
umoci unpack --image "$T/images/bb:latest" "$T/bundle" >/dev/null
cp -a "$ROOT/." "$T/bundle/rootfs/"
umoci repack --image "$T/images/bb:latest" "$T/bundle"
