# Sourced by the deployment checks (compose-check.sh, swarm-check.sh): one line per step, the
# checks of tools/docker/cluster-check.cjs, polling with a deadline, the writes and reads every
# check makes, and `on_exit` (clean up, then say passed or failed, at any exit).
# Usage: source check-lib.sh NAME WAIT_S. NAME prefixes every message; WAIT_S is the deadline of
# `wait_for`, in seconds. Sourcing moves to the repository's root.

script_name="$1"
wait_s="$2"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
node_image="${NODE_IMAGE:-quorum-kv/node-base:local}"
followers=5
started_s=$SECONDS

step() { echo "$script_name: $*"; }
fail() { echo "$script_name: FAILED: $*" >&2; exit 1; }
check() { node tools/docker/cluster-check.cjs "$@"; }

# wait_for WHAT CHECK...: polls the check once a second until it passes or the deadline; prints
# its last word either way.
wait_for() {
  local what="$1" deadline_s=$((SECONDS + wait_s)) out
  shift
  until out="$(check "$@" 2>&1)"; do
    [ "$SECONDS" -lt "$deadline_s" ] || fail "$what not within ${wait_s} s: $out"
    sleep 1
  done
  step "$what: $out"
}

# A Docker engine answers and the base image is there (nothing can be pulled).
require_engine_and_base_image() {
  docker info >/dev/null 2>&1 || fail "no Docker engine answers; run: bash tools/docker/setup-docker.sh"
  docker image inspect "$node_image" >/dev/null 2>&1 \
    || fail "base image $node_image missing (nothing can be pulled); run: bash tools/docker/setup-docker.sh"
}

# A free TCP port on 127.0.0.1, as the OS picks it.
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# write_each_w LEADER FOLLOWERS: one write per W = 1..FOLLOWERS (key compose-k<W>), each answered
# 200 with >= W acks.
write_each_w() {
  local w out
  for w in $(seq 1 "$2"); do
    out="$(check write "$1" "$w" 2>&1)" || fail "PUT /kv/compose-k$w?w=$w: $out"
    step "PUT /kv/compose-k$w?w=$w: $out"
  done
}

# read_each_w LEADER FOLLOWERS [LABEL]: every key of write_each_w reads back with its value.
read_each_w() {
  local w out label="${3:+$3, }"
  for w in $(seq 1 "$2"); do
    out="$(check read "$1" "$w" 2>&1)" || fail "${label}GET /kv/compose-k$w: $out"
    step "${label}GET /kv/compose-k$w: $out"
  done
}

# remove_replaced_images IDS: a build moved the :local (or given) tags; the images it left
# untagged are removed unless still in use.
remove_replaced_images() {
  local old_id
  for old_id in $1; do
    docker image inspect -f '{{len .RepoTags}}' "$old_id" 2>/dev/null | grep -qx 0 && docker rmi "$old_id" >/dev/null 2>&1 || true
  done
}

# on_exit CLEANUP: at every exit (Ctrl-C and TERM too, as status 130 and 143) runs CLEANUP with
# `rc` set to the exit status (CLEANUP sets rc=1 when a step of its own fails, and may set
# `failure_note`), then says passed or failed with the time taken, and exits with rc.
on_exit() {
  exit_cleanup="$1"
  trap exit_with_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

exit_with_cleanup() {
  rc=$?
  trap - EXIT INT TERM
  "$exit_cleanup"
  if [ "$rc" -eq 0 ]; then
    step "passed in $((SECONDS - started_s)) s"
  else
    echo "$script_name: failed after $((SECONDS - started_s)) s${failure_note:-}" >&2
  fi
  exit "$rc"
}
