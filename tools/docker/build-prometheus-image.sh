#!/usr/bin/env bash
# Builds quorum-kv/prometheus:local from Debian's prometheus package, by the same route as the
# Node base image (nothing can be pulled here): the package's binaries, the libraries `ldd`
# lists, its web assets, an empty data directory, `docker import`. No shell inside.
# Compose's `monitoring` profile runs it with docker/prometheus/ mounted on /etc/prometheus.
#
# Usage: tools/docker/build-prometheus-image.sh [--force]
#   PROMETHEUS_IMAGE  image name to build (default quorum-kv/prometheus:local)
# Needs: a Docker engine (tools/docker/setup-docker.sh) and Debian's `prometheus` package
# (installed here with apt-get when missing and run as root).
set -euo pipefail

image="${PROMETHEUS_IMAGE:-quorum-kv/prometheus:local}"
force=false

fail() { echo "build-prometheus-image: $*" >&2; exit 1; }
step() { echo "build-prometheus-image: $*"; }

for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) fail "unknown argument '$arg' (only --force is accepted)" ;;
  esac
done

docker info >/dev/null 2>&1 || fail "docker engine not answering; run tools/docker/setup-docker.sh first"
if [ "$force" = false ] && docker image inspect "$image" >/dev/null 2>&1; then
  step "image $image exists, skipping (use --force to rebuild)"
  exit 0
fi
bash "$(dirname "${BASH_SOURCE[0]}")/../prometheus/setup-prometheus.sh"

rootfs="$(mktemp -d /tmp/quorum-kv-prometheus-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
copy_into_rootfs() {
  mkdir -p "$rootfs$(dirname "$1")"
  cp -L "$1" "$rootfs$1"
}

for bin in /usr/bin/prometheus /usr/bin/promtool; do
  copy_into_rootfs "$bin"
  mapfile -t libs < <(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
  for lib in "${libs[@]}"; do copy_into_rootfs "$lib"; done
done
# The web UI's assets, where Debian's build looks for them.
mkdir -p "$rootfs/usr/share"
cp -a /usr/share/prometheus "$rootfs/usr/share/prometheus"
mkdir -p "$rootfs/etc/prometheus" "$rootfs/prometheus" "$rootfs/tmp"
chmod 1777 "$rootfs/prometheus" "$rootfs/tmp"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

version="$(prometheus --version 2>&1 | awk 'NR == 1 { print $3 }')"
step "importing $image (prometheus $version)"
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . \
  | docker import \
      --change 'USER 65534' \
      --change 'WORKDIR /prometheus' \
      --change 'EXPOSE 9090' \
      --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
      --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
      --change 'LABEL org.quorum-kv=prometheus' \
      --change "LABEL org.quorum-kv.prometheus-version=$version" \
      --message "quorum-kv prometheus from Debian's package" \
      - "$image" >/dev/null

docker run --rm --network none --label org.quorum-kv=prometheus-check --entrypoint /usr/bin/promtool "$image" --version >/dev/null \
  || fail "image $image was imported but promtool does not run in it"
step "built $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
