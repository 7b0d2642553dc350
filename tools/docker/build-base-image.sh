#!/usr/bin/env bash
# Builds the local Node base image without pulling anything: no registry is reachable here.
# The image holds only this machine's own node binary, the shared libraries it links, the
# dynamic loader, a few tiny /etc files and an empty /tmp. It has no shell, so Dockerfiles
# built on it must not use RUN.
#
# Usage: tools/docker/build-base-image.sh [--force]
#   NODE_IMAGE  image name to build (default quorum-kv/node-base:local)
#   NODE_BIN    node binary to copy (default /usr/bin/node)
set -euo pipefail

image="${NODE_IMAGE:-quorum-kv/node-base:local}"
node_bin="${NODE_BIN:-/usr/bin/node}"
force=false

fail() { echo "build-base-image: $*" >&2; exit 1; }
step() { echo "build-base-image: $*"; }

for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) fail "unknown argument '$arg' (only --force is accepted)" ;;
  esac
done

command -v docker >/dev/null 2>&1 || fail "docker CLI not found; run tools/docker/setup-docker.sh first"
docker info >/dev/null 2>&1 || fail "docker engine not answering; run tools/docker/setup-docker.sh first"
command -v ldd >/dev/null 2>&1 || fail "ldd not found (package libc-bin)"
[ -e "$node_bin" ] || fail "node binary '$node_bin' not found"

if [ "$force" = false ] && docker image inspect "$image" >/dev/null 2>&1; then
  step "image $image exists, skipping (use --force to rebuild)"
  exit 0
fi

rootfs="$(mktemp -d /tmp/quorum-kv-node-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT

# Copy a file to the same absolute path inside the root filesystem, following symlinks so
# the image holds real files (e.g. /lib64/ld-linux-x86-64.so.2 is a link on the host).
copy_into_rootfs() {
  local src="$1"
  mkdir -p "$rootfs$(dirname "$src")"
  cp -L "$src" "$rootfs$src"
}

node_real="$(readlink -f "$node_bin")"
step "copying $node_real to /usr/bin/node"
mkdir -p "$rootfs/usr/bin"
cp -L "$node_real" "$rootfs/usr/bin/node"
chmod 0755 "$rootfs/usr/bin/node"

# ldd prints "name => /path (addr)" for libraries and "/path (addr)" for the loader;
# linux-vdso has no file and is skipped.
mapfile -t libs < <(ldd "$node_real" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ "${#libs[@]}" -gt 0 ] || fail "ldd listed no libraries for $node_real (is it a static or foreign binary?)"
# glibc loads the name-service modules with dlopen, so ldd cannot list them; the leader
# resolves follower host names, so bring the files and dns modules when the host has them.
for nss in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
  [ -e "$nss" ] && libs+=("$nss")
done
step "copying ${#libs[@]} libraries: ${libs[*]}"
for lib in "${libs[@]}"; do
  copy_into_rootfs "$lib"
done

# Minimal /etc: name lookups read /etc/hosts before DNS (Docker mounts hosts and
# resolv.conf at run time), and os.userInfo() needs a passwd entry for the user.
mkdir -p "$rootfs/etc"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
mkdir -p "$rootfs/tmp" "$rootfs/root" "$rootfs/app"
chmod 1777 "$rootfs/tmp"

node_version="$("$node_real" --version)"
step "importing $image (node $node_version)"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . \
  | docker import \
      --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
      --change 'WORKDIR /' \
      --change 'LABEL org.quorum-kv=base' \
      --change "LABEL org.quorum-kv.node-version=$node_version" \
      --message "quorum-kv node base from host $node_real" \
      - "$image" >/dev/null

docker run --rm --network none --label org.quorum-kv=base-check "$image" node -e 'process.exit(0)' \
  || fail "image $image was imported but 'node' does not run in it"
step "built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
