#!/usr/bin/env bash
# Makes a Docker engine answer on this machine and builds the local Node base image.
# Safe to run again and from several shells at once: each step is skipped when already done,
# and a lock keeps two runs from installing or starting dockerd together.
#
# Steps: install docker.io + docker-compose (Debian) if missing, start dockerd in the
# background if the engine doesn't answer, wait for it, build quorum-kv/node-base:local.
#
# Env: DOCKER_WAIT_S (default 60), DOCKERD_LOG (default /var/log/quorum-kv-dockerd.log),
#      NODE_IMAGE (base image name, default quorum-kv/node-base:local).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
wait_s="${DOCKER_WAIT_S:-60}"
dockerd_log="${DOCKERD_LOG:-/var/log/quorum-kv-dockerd.log}"
socket=/var/run/docker.sock
lock_file=/tmp/quorum-kv-setup-docker.lock
started_s=$SECONDS

fail() { echo "setup-docker: FAILED: $*" >&2; exit 1; }
step() { echo "setup-docker: $*"; }
need_root() { [ "$(id -u)" -eq 0 ] || fail "must run as root to $1"; }

# Only root can install or start anything, so only root needs the lock.
if [ "$(id -u)" -eq 0 ]; then
  exec 9>"$lock_file" || fail "cannot open lock file $lock_file"
  flock -w 300 9 || fail "another setup-docker run held $lock_file for 300 s"
fi

# 1. Packages. dockerd comes from docker.io; docker-compose (v1) runs the compose file.
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  need_root "install ${missing[*]}"
  step "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp /tmp/quorum-kv-apt.XXXXXX.log)"
  apt-get -o DPkg::Lock::Timeout=120 update >"$apt_log" 2>&1 \
    || fail "apt-get update failed (log: $apt_log)"
  apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 \
    || fail "apt-get install ${missing[*]} failed (log: $apt_log)"
  rm -f "$apt_log"
  step "installed ${missing[*]}"
else
  step "dockerd and docker-compose already installed"
fi

# 2. Engine. Another shell may have started dockerd a moment ago: only start one when no
# dockerd process is alive, otherwise just wait for it.
if docker info >/dev/null 2>&1; then
  step "docker engine already answering"
else
  need_root "start or reach dockerd (docker info fails for user $(id -un))"
  if pgrep -x dockerd >/dev/null 2>&1; then
    step "dockerd is running but not answering yet, waiting"
  else
    step "starting dockerd in the background (log: $dockerd_log)"
    mkdir -p "$(dirname "$dockerd_log")"
    # Close the lock descriptor (9) so the long-lived dockerd does not keep holding the lock.
    setsid nohup dockerd >>"$dockerd_log" 2>&1 </dev/null 9>&- &
  fi
  deadline_s=$((SECONDS + wait_s))
  until [ -S "$socket" ] && docker info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline_s" ]; then
      fail "docker engine did not answer within ${wait_s} s (see $dockerd_log)"
    fi
    sleep 0.5
  done
  step "docker engine answering ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)) after $((SECONDS - started_s)) s"
fi

# 3. Base image, built from this machine's own node (nothing can be pulled).
step "checking base image"
"$here/build-base-image.sh"

step "done in $((SECONDS - started_s)) s"
