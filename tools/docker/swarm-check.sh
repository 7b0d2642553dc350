#!/usr/bin/env bash
# Deploys docker/swarm/stack.yml (with the encrypted overlay of stack.encrypted.yml) on a
# one-node swarm and checks it: the leader answers /health on its host-mode port, one write per
# W=1..5 answers 200 with >= W acks, every follower reaches the leader's LSN (the leader's
# /status), and the leader reads every write back. Then it kills the leader task's container:
# the swarm starts a new task, whose leader recovers the log from RECOVERY_QUORUM followers
# (default a majority) under a higher epoch and serves again; every key written before the kill
# reads back with its value, and a W=5 write succeeds. Then removes the stack; leaves the swarm
# again if this script created it. One line per step; exit 0 only if every check passed.
#
# Needs: a Docker engine (tools/docker/setup-docker.sh) and the base image. Images are built
# here from dist/ (npx nx run-many -t build -p leader follower).
# Env: NODE_IMAGE (default quorum-kv/node-base:local), LEADER_PORT (default: a free port),
#      SWARM_CHECK_WAIT_S (default 240: tasks start slowly on a busy 2-core host),
#      SWARM_CHECK_ENCRYPTED (default true: also deploy stack.encrypted.yml),
#      SWARM_CHECK_STACK (the stack's name, default qkv-swarm-check-<pid>),
#      SWARM_CHECK_IMAGE_TAG (default local: the tag of the images built and deployed; another
#      tag keeps a parallel run on the same engine from moving the :local tags).
set -euo pipefail

# shellcheck source=tools/docker/check-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/check-lib.sh" swarm-check "${SWARM_CHECK_WAIT_S:-240}"
stack="${SWARM_CHECK_STACK:-qkv-swarm-check-$$}"
tag="${SWARM_CHECK_IMAGE_TAG:-local}"
created_swarm=false
deployed=false

cleanup() {
  if [ "$deployed" = true ]; then
    if [ "$rc" -ne 0 ]; then
      echo "swarm-check: tasks:" >&2
      docker stack ps --no-trunc --format '{{.Name}} {{.CurrentState}} {{.Error}}' "$stack" >&2 2>/dev/null || true
    fi
    # `docker stack rm` can fail while a task is still being torn down (a network with active
    # endpoints, right after the leader's task was rescheduled): retry until the stack's
    # services and networks are gone, and print the engine's error if they never go.
    local rm_out="" removed=false
    for _ in $(seq 1 60); do
      rm_out="$(docker stack rm "$stack" 2>&1)" || true
      if ! docker service ls -q -f "label=com.docker.stack.namespace=$stack" | grep -q . \
        && ! docker network ls -q -f "label=com.docker.stack.namespace=$stack" | grep -q .; then
        removed=true
        break
      fi
      sleep 1
    done
    if [ "$removed" = true ]; then
      step "stack $stack removed"
    else
      echo "swarm-check: stack $stack not removed within 60 s: $rm_out" >&2
      rc=1
    fi
  fi
  remove_replaced_images "${old_image_ids:-}"
  if [ "$created_swarm" = true ]; then
    local leave_out
    if leave_out="$(docker swarm leave --force 2>&1)"; then
      step "left the swarm this check created"
    else
      echo "swarm-check: docker swarm leave failed: $leave_out" >&2
      rc=1
    fi
  fi
}
on_exit cleanup

# 1. Engine, base image, the bundles, the images (what `docker stack deploy` runs on this node).
require_engine_and_base_image
[ -f dist/apps/leader/main.js ] && [ -f dist/apps/follower/main.js ] \
  || fail "builds missing: npx nx run-many -t build -p leader follower"
old_image_ids="$(docker image inspect -f '{{.Id}}' "quorum-kv/leader:$tag" "quorum-kv/follower:$tag" 2>/dev/null || true)"
for app in leader follower; do
  docker build -q -f "docker/$app.Dockerfile" --build-arg "NODE_IMAGE=$node_image" -t "quorum-kv/$app:$tag" . >/dev/null 2>&1 \
    || fail "docker build of quorum-kv/$app:$tag failed"
done
export LEADER_IMAGE="quorum-kv/leader:$tag" FOLLOWER_IMAGE="quorum-kv/follower:$tag"
step "images $LEADER_IMAGE and $FOLLOWER_IMAGE built from dist/"

# 2. A swarm: this engine's own if it is a manager already, else a one-node swarm on loopback.
case "$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')" in
  'active true') step "using this engine's swarm (a manager already)" ;;
  'inactive false')
    docker swarm init --advertise-addr 127.0.0.1 >/dev/null || fail "docker swarm init failed"
    created_swarm=true
    step "one-node swarm initialised on 127.0.0.1"
    ;;
  *) fail "this engine is in a swarm but not a manager: $(docker info --format '{{.Swarm.LocalNodeState}}')" ;;
esac

# 3. Deploy, the encrypted overlay included unless told otherwise.
export LEADER_PORT="${LEADER_PORT:-$(free_port)}"
files=(-c docker/swarm/stack.yml)
[ "${SWARM_CHECK_ENCRYPTED:-true}" = true ] && files+=(-c docker/swarm/stack.encrypted.yml)
deployed=true
docker stack deploy --resolve-image never "${files[@]}" "$stack" >/dev/null || fail "docker stack deploy failed"
step "stack $stack deployed (${files[*]}), leader on 127.0.0.1:$LEADER_PORT"
if [ "${SWARM_CHECK_ENCRYPTED:-true}" = true ]; then
  options="$(docker network inspect -f '{{json .Options}}' "${stack}_quorum-kv")"
  echo "$options" | grep -q '"encrypted"' || fail "network ${stack}_quorum-kv is not encrypted: $options"
  step "overlay ${stack}_quorum-kv is encrypted"
fi

# 4. The leader, then the followers: a W=5 write succeeds only once all five resolve and answer
# (dnsrr names resolve once a task's health check passes).
leader="http://127.0.0.1:$LEADER_PORT"
wait_for "leader /health" health "$leader"
wait_for "every follower acks (a W=5 write)" write "$leader" "$followers"

# 5. One write per W, convergence, reads.
write_each_w "$leader" "$followers"
wait_for "every follower caught up (leader /status)" caught-up "$leader" "$followers" "$((followers + 1))"
read_each_w "$leader" "$followers"

# 6. Leader loss: kill the leader task's container. The swarm starts a new task (restart_policy
# any); its leader recovers from RECOVERY_QUORUM followers under a higher epoch before it
# serves (/health 503 "recovering" until then), and nothing acknowledged is lost.
epoch_before="$(check epoch "$leader" 2>&1)" || fail "leader /health before the kill: $epoch_before"
service="${stack}_leader"
old_container="$(docker ps -q -f "label=com.docker.swarm.service.name=$service")"
[ -n "$old_container" ] || fail "no running container of $service"
docker kill "$old_container" >/dev/null || fail "docker kill $old_container failed"
killed_s=$SECONDS
step "killed the leader task's container $old_container (epoch $epoch_before)"
deadline_s=$((SECONDS + wait_s))
until new_container="$(docker ps -q -f "label=com.docker.swarm.service.name=$service")" \
  && [ -n "$new_container" ] && [ "$new_container" != "$old_container" ]; do
  [ "$SECONDS" -lt "$deadline_s" ] || fail "the swarm did not start a new leader task within ${wait_s} s"
  sleep 1
done
step "the swarm started a new leader task: container $new_container after $((SECONDS - killed_s)) s"
wait_for "the new leader serves (recovered, epoch > $epoch_before)" health "$leader" "$((epoch_before + 1))"
step "leader back in service $((SECONDS - killed_s)) s after the kill"
read_each_w "$leader" "$followers" "after the kill"
out="$(check write "$leader" "$followers" 2>&1)" || fail "after the kill, PUT /kv/compose-k$followers?w=$followers: $out"
step "after the kill, PUT /kv/compose-k$followers?w=$followers: $out"
