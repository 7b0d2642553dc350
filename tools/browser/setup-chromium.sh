#!/usr/bin/env bash
# Makes Debian's Chromium available at /usr/bin/chromium for the browser tests (playwright-core
# drives it; no test tool may download a browser of its own). Safe to run again and from
# several shells at once: it does nothing when Chromium is already there, and a lock keeps two
# runs from installing together.
#
# Steps: check /usr/bin/chromium; if missing, apt-get update and install `chromium` (root only);
# print the version.
#
# Env: CHROMIUM_BIN (default /usr/bin/chromium).
set -euo pipefail

chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"
lock_file=/tmp/quorum-kv-setup-chromium.lock
started_s=$SECONDS

fail() { echo "setup-chromium: FAILED: $*" >&2; exit 1; }
step() { echo "setup-chromium: $*"; }

# Chromium prints its version without starting a browser window, and without a profile.
version() { "$chromium_bin" --version 2>/dev/null | head -n 1 || true; }

if [ -x "$chromium_bin" ]; then
  step "already installed: $chromium_bin ($(version))"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || fail "$chromium_bin is missing and installing it needs root: run 'apt-get install -y chromium' as root"

exec 9>"$lock_file" || fail "cannot open lock file $lock_file"
flock -w 600 9 || fail "another setup-chromium run held $lock_file for 600 s"

# Another shell may have installed it while this one waited for the lock.
if [ -x "$chromium_bin" ]; then
  step "installed by another run meanwhile: $chromium_bin ($(version))"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_log="$(mktemp /tmp/quorum-kv-apt-chromium.XXXXXX.log)"
step "apt-get update"
apt-get -o DPkg::Lock::Timeout=120 update >"$apt_log" 2>&1 || fail "apt-get update failed (log: $apt_log)"
step "installing chromium with apt-get"
apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends chromium >>"$apt_log" 2>&1 \
  || fail "apt-get install chromium failed (log: $apt_log)"
[ -x "$chromium_bin" ] || fail "apt-get installed chromium but $chromium_bin is missing (log: $apt_log)"
rm -f "$apt_log"
step "installed $chromium_bin ($(version)) in $((SECONDS - started_s)) s"
