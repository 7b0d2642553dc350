#!/usr/bin/env bash
# Makes `prometheus` and `promtool` available: Debian's package (2.42 on bookworm), installed
# with apt-get when missing (root). Idempotent; safe to run from several shells at once.
set -euo pipefail

fail() { echo "setup-prometheus: FAILED: $*" >&2; exit 1; }

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  echo "setup-prometheus: prometheus and promtool already installed ($(promtool --version 2>&1 | awk 'NR == 1 { print $3 }'))"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "must run as root to install Debian's prometheus package"
exec 9>/tmp/quorum-kv-setup-prometheus.lock
flock -w 300 9 || fail "another setup-prometheus run held the lock for 300 s"
export DEBIAN_FRONTEND=noninteractive
apt_log="$(mktemp /tmp/quorum-kv-apt.XXXXXX.log)"
apt-get -o DPkg::Lock::Timeout=120 update >"$apt_log" 2>&1 || fail "apt-get update failed (log: $apt_log)"
# --no-install-recommends: no node exporter, no service started by the package.
apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends prometheus >>"$apt_log" 2>&1 \
  || fail "apt-get install prometheus failed (log: $apt_log)"
rm -f "$apt_log"
echo "setup-prometheus: installed $(promtool --version 2>&1 | awk 'NR == 1 { print $3 }')"
