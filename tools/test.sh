#!/usr/bin/env bash
# The one test command, on a fresh machine too: installs the npm packages, then runs lint,
# type checks, unit tests and the builds, the cluster tests against real processes, and the
# cluster tests against real containers plus a Docker Compose check.
#
# Containers need a Docker engine. tools/docker/setup-docker.sh installs Debian's docker.io,
# starts dockerd and builds the local base image (root needed). In CI (CI=true) or with
# QUORUM_KV_CONTAINERS=require, failing to set Docker up fails the run; otherwise the
# container suites are skipped with a plain message saying so and why.
set -euo pipefail
source "$(dirname "$0")/lib/ensure-deps.sh"

# Every suite's output also goes to a log, to total the jest counts at the end.
log="$(mktemp /tmp/quorum-kv-test.XXXXXX.log)"
run() { "$@" 2>&1 | tee -a "$log"; }

mode="${QUORUM_KV_CONTAINERS:-auto}"
if [ "${CI:-}" = "true" ] && [ "$mode" = "auto" ]; then mode=require; fi

echo "== lint, typecheck, unit tests, build"
run npx nx run-many -t lint typecheck test build --output-style=static

echo "== cluster tests: a real leader and five followers as processes"
run npx nx run cluster-e2e:e2e --output-style=static

containers_ran=no
if [ "$mode" = "skip" ]; then
  reason="QUORUM_KV_CONTAINERS=skip"
elif setup_log=$(bash tools/docker/setup-docker.sh 2>&1); then
  echo "$setup_log"
  echo "== cluster tests: six real containers (testcontainers)"
  run npx nx run cluster-e2e:e2e-containers --output-style=static
  echo "== docker-compose: up, one write per W, consistent, down"
  run bash tools/docker/compose-check.sh
  containers_ran=yes
else
  reason="Docker could not be set up: $(echo "$setup_log" | tail -n 1)"
fi

if [ "$containers_ran" = no ]; then
  if [ "$mode" = "require" ]; then
    echo "FAILED: the container suites must run here (CI or QUORUM_KV_CONTAINERS=require) but did not: $reason" >&2
    exit 1
  fi
  echo "NOTE: the container suites were NOT run: $reason. Everything else passed."
fi
# Jest's own summaries ("Tests: 98 passed, 98 total"), added up into one closing line.
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/^Tests:/ {
  for (i = 2; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^skipped/) s += $i }
} END { printf "== all test suites passed\ntests: %d passed, %d failed, %d skipped\n", p, f, s }'
rm -f "$log"
