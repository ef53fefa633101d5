#!/bin/sh
# Install the Debian packages brig's build, tests, package, demo and benchmarks need,
# when they are missing. Idempotent; runs `apt-get update` at most once.
set -eu
PKGS="gcc clang make pkg-config
libmnl-dev libnftables-dev libarchive-dev libseccomp-dev libcap-dev libbpf-dev
libacl1-dev liblz4-dev libzstd-dev liblzma-dev libbz2-dev zlib1g-dev nettle-dev
libjansson-dev libcmocka-dev libclang-rt-14-dev libfyaml-dev
busybox-static iproute2 nftables strace python3 util-linux dnsmasq-base
btrfs-progs debootstrap zstd runc bubblewrap hyperfine umoci skopeo xfsprogs e2fsprogs
dpkg-dev debhelper lintian systemd-container zsh fish
podman conmon netavark catatonit iptables containerd crun"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
