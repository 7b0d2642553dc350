#!/usr/bin/env bash
# The main job on a fresh machine: install, build, and run the quorum sweep on the embedded
# `process` runtime (no Docker needed). Flags are passed to the sweep, e.g. --out=results/mine.
set -euo pipefail
source "$(dirname "$0")/lib/ensure-deps.sh"
exec npx nx run bench:quorum-sweep --output-style=stream "$@"
