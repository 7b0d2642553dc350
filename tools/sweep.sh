#!/usr/bin/env bash
# The main job on a fresh machine: install, build the apps through Nx, and run the quorum sweep
# on the embedded `process` runtime (no Docker needed). Flags go to the sweep, e.g. --out=results/mine;
# --help shows the sweep's own flags. The sweep runs directly (not under Nx), so its exit code is
# the caller's: 2 for a bad flag, 1 for a failed run, 130 after Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib/ensure-deps.sh"
case " $* " in
  *" --help "* | *" -h "*) ;;
  *) npx nx run-many -t build -p leader follower --output-style=static >&2 ;;
esac
exec node_modules/.bin/tsx --tsconfig libs/bench/tsconfig.json libs/bench/src/main.ts quorum-sweep "$@"
