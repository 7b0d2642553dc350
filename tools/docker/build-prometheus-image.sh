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

script_name=build-prometheus-image
image="${PROMETHEUS_IMAGE:-quorum-kv/prometheus:local}"
# shellcheck source=tools/docker/rootfs-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/rootfs-image.sh"
image_args "$@"

skip_if_built
bash "$(dirname "${BASH_SOURCE[0]}")/../prometheus/setup-prometheus.sh"
new_rootfs
copy_binary /usr/bin/prometheus /usr/bin/promtool
# The web UI's assets, where Debian's build looks for them.
mkdir -p "$rootfs/usr/share" "$rootfs/etc/prometheus" "$rootfs/prometheus"
cp -a /usr/share/prometheus "$rootfs/usr/share/prometheus"
chmod 1777 "$rootfs/prometheus"
minimal_etc

version="$(prometheus --version 2>&1 | awk 'NR == 1 { print $3 }')"
step "importing $image (prometheus $version)"
import_rootfs \
  --change 'USER 65534' \
  --change 'WORKDIR /prometheus' \
  --change 'EXPOSE 9090' \
  --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
  --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
  --change 'LABEL org.quorum-kv=prometheus' \
  --change "LABEL org.quorum-kv.prometheus-version=$version" \
  --message "quorum-kv prometheus from Debian's package"

docker run --rm --network none --label org.quorum-kv=prometheus-check --entrypoint /usr/bin/promtool "$image" --version >/dev/null \
  || fail "image $image was imported but promtool does not run in it"
built
