#!/usr/bin/env bash
# Brings docker/docker-compose.yml up for real, under a project name of its own, and checks it:
# the leader answers /health on 127.0.0.1, one write per W=1..5 answers 200 with >= W acks,
# every follower reaches the leader's LSN (the leader's /status: followers publish no port), and
# the leader reads every write back. The project is always taken down again (`down -v`), also
# on failure or Ctrl-C. One line per step; exit status 0 only if every check passed.
#
# Needs: a Docker engine and docker-compose v1 (tools/docker/setup-docker.sh), the base image.
# Env: NODE_IMAGE (default quorum-kv/node-base:local), LEADER_PORT (default: a free port),
#      COMPOSE_CHECK_WAIT_S (default 60: for the leader's /health, and for the followers).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
node_image="${NODE_IMAGE:-quorum-kv/node-base:local}"
wait_s="${COMPOSE_CHECK_WAIT_S:-60}"
# Unique, so a run never touches the default `quorum-kv` project or another run's containers.
project="qkv-check-$$-$(date +%s)"
compose_log="$(mktemp /tmp/quorum-kv-compose-check.XXXXXX.log)"
started_s=$SECONDS
followers=5

step() { echo "compose-check: $*"; }
fail() { echo "compose-check: FAILED: $*" >&2; exit 1; }

# The checks, in node (always there, unlike jq): node -e "$checks" <command> <args...>.
# shellcheck disable=SC2016
checks='
const [command, base, ...args] = process.argv.slice(1);
const get = async (path) => {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json().catch(() => null) };
};
const fail = (why) => { console.log(why); process.exit(1); };
(async () => {
  if (command === "health") {
    const { status, body } = await get("/health");
    if (status !== 200 || !body || body.ok !== true) fail(`answered ${status}: ${JSON.stringify(body)}`);
    console.log(`role ${body.role}, ${body.followers} followers`);
  } else if (command === "write") {
    const w = Number(args[0]);
    const res = await fetch(`${base}/kv/compose-k${w}?w=${w}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value: { w } }),
      signal: AbortSignal.timeout(10000),
    });
    const body = await res.json().catch(() => null);
    if (res.status !== 200 || !body || body.w !== w || !(body.acks >= w)) fail(`answered ${res.status}: ${JSON.stringify(body)}`);
    console.log(`200, lsn ${body.lsn}, acks ${body.acks}`);
  } else if (command === "caught-up") {
    const [count, minLsn] = args.map(Number);
    const { status, body } = await get("/status");
    const rows = (body && body.followers) || [];
    const summary = rows.map((f, i) => `follower${i + 1} acked ${f.ackedLsn} lag ${f.lagEntries} ${f.state}`).join(", ");
    const ok = status === 200 && body.lsn >= minLsn && rows.length === count && rows.every((f) => f.lagEntries === 0 && f.ackedLsn === body.lsn);
    if (!ok) fail(`lsn ${body && body.lsn}: ${summary || JSON.stringify(body)}`);
    console.log(`lsn ${body.lsn}: ${summary}`);
  } else if (command === "read") {
    const w = Number(args[0]);
    const { status, body } = await get(`/kv/compose-k${w}`);
    if (status !== 200 || !body || JSON.stringify(body.value) !== JSON.stringify({ w })) fail(`answered ${status}: ${JSON.stringify(body)}`);
    console.log(`value ${JSON.stringify(body.value)} at lsn ${body.lsn}`);
  } else {
    fail(`unknown check ${command}`);
  }
})().catch((err) => fail(String(err && err.cause ? err.cause.code || err.cause.message : err)));
'
check() { node -e "$checks" "$@"; }

# Polls a check once a second until it passes or the deadline; prints its last word either way.
wait_for() {
  local what="$1"; shift
  local deadline_s=$((SECONDS + wait_s)) out
  until out="$(check "$@" 2>&1)"; do
    [ "$SECONDS" -lt "$deadline_s" ] || fail "$what not within ${wait_s} s: $out"
    sleep 1
  done
  step "$what: $out"
}

compose() {
  NODE_IMAGE="$node_image" LEADER_PORT="$leader_port" docker-compose -f docker/docker-compose.yml -p "$project" "$@"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
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
    # `up --build` moved the :local tags; the images they left are removed unless still in use.
    for old_id in ${old_image_ids:-}; do
      docker image inspect -f '{{len .RepoTags}}' "$old_id" 2>/dev/null | grep -qx 0 && docker rmi "$old_id" >/dev/null 2>&1 || true
    done
  fi
  if [ "$rc" -eq 0 ]; then
    rm -f "$compose_log"
    step "passed in $((SECONDS - started_s)) s"
  else
    if [ -s "$compose_log" ]; then
      echo "compose-check: failed after $((SECONDS - started_s)) s (compose log: $compose_log)" >&2
    else
      rm -f "$compose_log"
      echo "compose-check: failed after $((SECONDS - started_s)) s" >&2
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. What the run needs.
command -v docker-compose >/dev/null 2>&1 || fail "docker-compose not found; run: bash tools/docker/setup-docker.sh"
docker info >/dev/null 2>&1 || fail "no Docker engine answers; run: bash tools/docker/setup-docker.sh"
docker image inspect "$node_image" >/dev/null 2>&1 \
  || fail "base image $node_image missing (nothing can be pulled); run: bash tools/docker/setup-docker.sh"
step "docker engine, docker-compose and base image $node_image present"

# 2. The bundles the Dockerfiles copy.
if [ -f dist/apps/leader/main.js ] && [ -f dist/apps/follower/main.js ]; then
  step "builds present (dist/apps/{leader,follower}/main.js)"
else
  step "builds missing: npx nx run-many -t build -p leader follower"
  NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false npx nx run-many -t build -p leader follower --output-style=static >>"$compose_log" 2>&1 \
    || fail "build failed (log: $compose_log)"
  step "built"
fi

# 3. A free port for the leader on 127.0.0.1 (the OS picks it), unless one was given.
leader_port="${LEADER_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
step "project $project, leader on 127.0.0.1:$leader_port"

# 4. Up. The leader starts once all five followers are healthy (depends_on in the compose file).
old_image_ids="$(docker image inspect -f '{{.Id}}' quorum-kv/leader:local quorum-kv/follower:local 2>/dev/null || true)"
brought_up=true
compose up -d --build >>"$compose_log" 2>&1 || fail "docker-compose up failed (log: $compose_log): $(tail -n 5 "$compose_log" | tr '\n' ' ')"
step "up -d --build: $(compose ps -q | wc -l) containers"

leader="http://127.0.0.1:$leader_port"
wait_for "leader /health" health "$leader"

# 5. One write per W; W=5 needs every follower.
for w in $(seq 1 "$followers"); do
  out="$(check write "$leader" "$w" 2>&1)" || fail "PUT /kv/compose-k$w?w=$w: $out"
  step "PUT /kv/compose-k$w?w=$w: $out"
done

# 6. Consistency, as far as the host can see it: the leader's view of every follower, and reads.
wait_for "every follower caught up (leader /status)" caught-up "$leader" "$followers" "$followers"
for w in $(seq 1 "$followers"); do
  out="$(check read "$leader" "$w" 2>&1)" || fail "GET /kv/compose-k$w: $out"
  step "GET /kv/compose-k$w: $out"
done
