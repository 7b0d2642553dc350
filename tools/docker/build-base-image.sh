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

script_name=build-base-image
image="${NODE_IMAGE:-quorum-kv/node-base:local}"
node_bin="${NODE_BIN:-/usr/bin/node}"
# shellcheck source=tools/docker/rootfs-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/rootfs-image.sh"
image_args "$@"

command -v docker >/dev/null 2>&1 || fail "docker CLI not found; run tools/docker/setup-docker.sh first"
skip_if_built
[ -e "$node_bin" ] || fail "node binary '$node_bin' not found"
new_rootfs

# node goes to /usr/bin/node whatever its path on the host.
node_real="$(readlink -f "$node_bin")"
step "copying $node_real to /usr/bin/node"
mkdir -p "$rootfs/usr/bin"
cp -L "$node_real" "$rootfs/usr/bin/node"
chmod 0755 "$rootfs/usr/bin/node"
mapfile -t libs < <(linked_libraries "$node_real")
[ "${#libs[@]}" -gt 0 ] || fail "ldd listed no libraries for $node_real (is it a static or foreign binary?)"
# glibc loads the name-service modules with dlopen, so ldd cannot list them; the leader
# resolves follower host names, so bring the files and dns modules when the host has them.
for nss in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2; do
  [ -e "$nss" ] && libs+=("$nss")
done
step "copying ${#libs[@]} libraries: ${libs[*]}"
copy_into_rootfs "${libs[@]}"
minimal_etc
mkdir -p "$rootfs/root" "$rootfs/app"

node_version="$("$node_real" --version)"
step "importing $image (node $node_version)"
import_rootfs \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'WORKDIR /' \
  --change 'LABEL org.quorum-kv=base' \
  --change "LABEL org.quorum-kv.node-version=$node_version" \
  --message "quorum-kv node base from host $node_real"

docker run --rm --network none --label org.quorum-kv=base-check "$image" node -e 'process.exit(0)' \
  || fail "image $image was imported but 'node' does not run in it"
built
