#!/usr/bin/env bash
# Checks docker/prometheus/ with Debian's promtool, offline: the scrape config, the rules, the
# rules' unit tests, and every PromQL expression of the Grafana dashboard (written into a
# throw-away rules file so that promtool parses each one). One line per check; exit 0 only if
# all passed. Needs promtool: tools/prometheus/setup-prometheus.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

step() { echo "prometheus-check: $*"; }
fail() { echo "prometheus-check: FAILED: $*" >&2; exit 1; }
command -v promtool >/dev/null 2>&1 || fail "promtool not found; run: bash tools/prometheus/setup-prometheus.sh"

run() { # what, then the promtool command
  local what="$1" out
  shift
  out="$("$@" 2>&1)" || fail "$what: $(echo "$out" | tr '\n' ' ')"
  step "$what: ok"
}
run "promtool check config docker/prometheus/prometheus.yml" promtool check config docker/prometheus/prometheus.yml
run "promtool check rules docker/prometheus/rules/*.yml" promtool check rules docker/prometheus/rules/*.yml
run "promtool test rules docker/prometheus/tests/alerts.test.yml" promtool test rules docker/prometheus/tests/alerts.test.yml

exprs="$(mktemp /tmp/quorum-kv-dashboard-exprs.XXXXXX.yml)"
trap 'rm -f "$exprs"' EXIT
node -e '
const dashboard = require(process.argv[1]);
const rules = dashboard.panels.flatMap((p) => p.targets.map((t, i) => ({ record: `dashboard:panel${p.id}:${t.refId}`, expr: t.expr })));
if (rules.length === 0) { console.error("no panel has an expression"); process.exit(1); }
console.log(JSON.stringify({ groups: [{ name: "dashboard-expressions", rules }] }));
' "$PWD/docker/grafana/dashboards/quorum-kv.json" >"$exprs"
run "promtool parses all $(grep -o '"record"' "$exprs" | wc -l) dashboard expressions" promtool check rules "$exprs"
