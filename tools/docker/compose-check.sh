#!/usr/bin/env bash
# Runs the README's "bring it up and measure it" commands exactly as written (the fenced block
# after each `<!-- compose-check: NAME -->` marker in README.md), under a project name and ports
# of its own, and fails if any of them fails: setup, build, `up -d --build`, a short sweep from
# the host with --follower-urls. Then checks what the sweep can't: one write per W=1..5 with
# >= W acks, every follower at the leader's LSN and holding the leader's store (read on its own
# published port), every node's /metrics clean under `promtool check metrics`; runs the
# `monitoring` block (Prometheus from Debian's package) and asks Prometheus's HTTP API that all
# six targets are up and the rules loaded; and runs the README's `down` block. The project is
# always taken down again, also on failure or Ctrl-C. Exit status 0 only if every step passed.
#
# Needs: a Docker engine and docker-compose v1 (tools/docker/setup-docker.sh), the base image,
# root for the first build of the Prometheus image (Debian's prometheus package).
# Env: NODE_IMAGE (default quorum-kv/node-base:local); LEADER_PORT, FOLLOWER1_PORT..FOLLOWER5_PORT,
#      PROMETHEUS_PORT (default: free ports); COMPOSE_CHECK_WAIT_S (default 90: for /health,
#      the followers, and Prometheus's targets).
set -euo pipefail

# shellcheck source=tools/docker/check-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/check-lib.sh" compose-check "${COMPOSE_CHECK_WAIT_S:-90}"
# Unique, so a run never touches the default `quorum-kv` project or another run's containers.
project="qkv-check-$$-$(date +%s)"
compose_log="$(mktemp /tmp/quorum-kv-compose-check.XXXXXX.log)"
sweep_out="$(mktemp -d /tmp/quorum-kv-compose-sweep.XXXXXX)"

compose() {
  docker-compose -f docker/docker-compose.yml -p "$project" --profile monitoring "$@"
}

# The fenced bash block after README.md's `<!-- compose-check: NAME ... -->` marker, as written.
readme_block() {
  awk -v name="$1" '
    index($0, "<!-- compose-check: " name " ") == 1 { found = 1; next }
    found && !inside && /^```bash$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' README.md
}

# Runs a README block with bash -x (each command is echoed), output to the terminal and the log.
run_readme_block() {
  local name="$1" block
  block="$(readme_block "$name")"
  [ -n "$block" ] || fail "README.md has no bash block after <!-- compose-check: $name -->"
  step "README block '$name': $(echo "$block" | grep -c .) lines"
  if ! bash -euo pipefail -xc "$block" 2>&1 | tee -a "$compose_log"; then
    fail "the README's '$name' commands failed (log: $compose_log)"
  fi
  step "README block '$name' passed"
}

cleanup() {
  if [ "${brought_up:-false}" = true ]; then
    if [ "$rc" -ne 0 ]; then
      echo "compose-check: last leader log lines:" >&2
      compose logs --no-color --tail 20 leader >&2 2>/dev/null || true
    fi
    if compose down -v --remove-orphans >>"$compose_log" 2>&1; then
      step "down -v: project $project removed"
    else
      echo "compose-check: FAILED: down -v of project $project failed (log: $compose_log)" >&2
      rc=1
    fi
  fi
  remove_replaced_images "${old_image_ids:-}"
  if [ "$rc" -eq 0 ]; then
    rm -rf "$sweep_out"
  fi
  if [ "$rc" -ne 0 ] && [ -s "$compose_log" ]; then
    failure_note=" (compose log: $compose_log)"
  else
    rm -f "$compose_log"
  fi
}
on_exit cleanup

# 1. What the run needs.
command -v docker-compose >/dev/null 2>&1 || fail "docker-compose not found; run: bash tools/docker/setup-docker.sh"
require_engine_and_base_image
step "docker engine, docker-compose and base image $node_image present"

# 2. A project name and free ports on 127.0.0.1 of its own (the OS picks them), unless given:
# the README's commands read the same variables, so they run as written against this project.
export COMPOSE_PROJECT_NAME="$project" NODE_IMAGE="$node_image" SWEEP_OUT="$sweep_out"
export LEADER_PORT="${LEADER_PORT:-$(free_port)}" PROMETHEUS_PORT="${PROMETHEUS_PORT:-$(free_port)}"
follower_urls=()
for i in $(seq 1 "$followers"); do
  var="FOLLOWER${i}_PORT"
  export "$var=${!var:-$(free_port)}"
  follower_urls+=("http://127.0.0.1:${!var}")
done
leader="http://127.0.0.1:$LEADER_PORT"
step "project $project: leader on $leader, followers on ${follower_urls[*]}, Prometheus on :$PROMETHEUS_PORT"

# 3. The README's commands: setup, build, up, ps, a short sweep from the host.
old_image_ids="$(docker image inspect -f '{{.Id}}' quorum-kv/leader:local quorum-kv/follower:local 2>/dev/null || true)"
brought_up=true
run_readme_block up-and-measure
for file in report.md summary.csv consistency.json; do
  [ -s "$sweep_out/$file" ] || fail "the sweep left no $file in $sweep_out"
done
step "sweep wrote report.md, summary.csv and consistency.json"
wait_for "leader /health" health "$leader"

# 4. One write per W; W=5 needs every follower.
write_each_w "$leader" "$followers"

# 5. Consistency: the leader's view of every follower, reads, and each follower's own store.
wait_for "every follower caught up (leader /status)" caught-up "$leader" "$followers" "$followers"
read_each_w "$leader" "$followers"
for i in $(seq 1 "$followers"); do
  out="$(check same-store "$leader" "${follower_urls[$((i - 1))]}" 2>&1)" || fail "follower$i /debug/store: $out"
  step "follower$i /debug/store on ${follower_urls[$((i - 1))]}: $out"
done

# 6. DATA_DIR on named volumes: follower1's container, removed and created again on its volume
# while the leader is stopped (so nothing can catch it up), starts with the store it had; then
# the leader's container, created again on its own volume, serves under a higher epoch with
# every write.
before="$(check store-digest "${follower_urls[0]}" 2>&1)" || fail "follower1 /debug/store: $before"
epoch_before="$(check epoch "$leader" 2>&1)" || fail "leader /health: $epoch_before"
compose stop -t 10 leader >>"$compose_log" 2>&1 || fail "docker-compose stop leader failed (see $compose_log)"
compose rm -f -s follower1 >>"$compose_log" 2>&1 || fail "docker-compose rm follower1 failed (see $compose_log)"
compose up -d --no-deps follower1 >>"$compose_log" 2>&1 || fail "docker-compose up follower1 failed (see $compose_log)"
wait_for "follower1 created again on its volume, the leader stopped" store-digest "${follower_urls[0]}"
after="$(check store-digest "${follower_urls[0]}" 2>&1)"
[ "$after" = "$before" ] || fail "follower1 came back with $after, not the $before it had"
step "follower1 kept its data on its volume: $after"
compose rm -f -s leader >>"$compose_log" 2>&1 || fail "docker-compose rm leader failed (see $compose_log)"
compose up -d --no-deps leader >>"$compose_log" 2>&1 || fail "docker-compose up leader failed (see $compose_log)"
wait_for "the leader created again on its volume (epoch > $epoch_before)" health "$leader" "$((epoch_before + 1))"
read_each_w "$leader" "$followers" "after the restarts"
write_each_w "$leader" "$followers"

# 7. The README's monitoring commands, then Prometheus's own word on its targets and rules.
run_readme_block monitoring
wait_for "Prometheus: every node scraped" targets "http://127.0.0.1:$PROMETHEUS_PORT" $((followers + 1))

# 8. Metric names and types as Prometheus wants them (promtool came with the Prometheus image).
# prom-client's default nodejs_active_*_total gauges draw warnings of their own: not ours.
for url in "$leader" "${follower_urls[@]}"; do
  lint="$(curl -sf "$url/metrics" | promtool check metrics 2>&1 | grep -v '^nodejs_' || true)"
  [ -z "$lint" ] || fail "promtool check metrics on $url/metrics: $(echo "$lint" | tr '\n' ' ')"
done
step "promtool check metrics: clean on all $((followers + 1)) nodes (nodejs_* defaults aside)"

# 9. The README's teardown.
run_readme_block down
brought_up=false
step "down: project $project removed"
