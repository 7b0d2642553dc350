/**
 * The Grafana dashboard (docker/grafana/dashboards/quorum-kv.json) and its provisioning,
 * checked offline since Grafana can't be installed here. tools/prometheus/check.sh has promtool
 * parse every expression; this checks the dashboard's shape, that it reads its provisioned data
 * source, that its panels cover what the issue asks for, and that every series it names exists.
 */
import { metricNamesDefinedIn, readJson, readYaml } from './repo-files';

interface Target {
  refId: string;
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

const dashboard = readJson<Dashboard>('docker', 'grafana', 'dashboards', 'quorum-kv.json');
const datasources = readYaml<{ datasources: Array<{ uid: string; type: string; url: string }> }>(
  'docker',
  'grafana',
  'provisioning',
  'datasources',
  'prometheus.yml',
).datasources;
const provider = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
  'docker',
  'grafana',
  'provisioning',
  'dashboards',
  'quorum-kv.yml',
).providers[0];
const compose = readYaml<{ services: Record<string, { volumes?: string[]; profiles?: string[] }> }>(
  'docker',
  'docker-compose.yml',
);
const recorded = readYaml<{ groups: Array<{ rules: Array<{ record: string }> }> }>(
  'docker',
  'prometheus',
  'rules',
  'recording.yml',
).groups.flatMap((g) => g.rules.map((r) => r.record));
const exported = [
  ...metricNamesDefinedIn('apps', 'leader', 'src', 'leader-metrics.ts'),
  ...metricNamesDefinedIn('apps', 'follower', 'src', 'follower-metrics.ts'),
];
// What a histogram exports beside its own name, and Prometheus's own series.
const known = new Set([
  ...exported.flatMap((name) => [name, `${name}_bucket`, `${name}_count`, `${name}_sum`]),
  ...recorded,
  'up',
]);

const targets = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, ...t })));
const seriesIn = (expr: string) => [...expr.matchAll(/\b(quorumkv[a-z0-9_:]*|up)\b(?=\s*[{[)\s]|$)/g)].map((m) => m[1]);

describe('Grafana dashboard', () => {
  it('has a uid, a title, a schema version and panels with unique ids', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).not.toBe('');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(30);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lays its panels on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const { title, gridPos } of dashboard.panels) {
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(cells.has(`${x},${y}`) ? `${title} overlaps at ${x},${y}` : 'free').toBe('free');
          cells.add(`${x},${y}`);
        }
    }
  });

  it('reads the provisioned Prometheus data source in every panel and query', () => {
    const source = datasources.find((d) => d.type === 'prometheus');
    expect(source?.url).toBe('http://prometheus:9090');
    for (const ref of [...dashboard.panels.map((p) => p.datasource), ...targets.map((t) => t.datasource)])
      expect(ref).toEqual({ type: 'prometheus', uid: source?.uid });
  });

  it('is provisioned from the folder the monitoring profile mounts it into', () => {
    const mounts = compose.services['grafana']?.volumes ?? [];
    expect(mounts).toContain(`./grafana/dashboards:${provider?.options.path}:ro`);
    expect(mounts).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it.each([
    // The list: write latency by W, acks, lag per follower, epochs, errors.
    { what: 'write latency by W', pattern: /write_duration_seconds:p\d+_by_w/ },
    { what: 'acks', pattern: /write_acks/ },
    { what: 'lag per follower', pattern: /by \(follower\) \(quorumkv_replication_lag_seconds\)/ },
    { what: 'epochs', pattern: /quorumkv_epoch/ },
    { what: 'errors', pattern: /quorum_timeouts_total|rpc_errors/ },
  ])('has a panel for $what', ({ pattern }) => {
    expect(targets.some((t) => pattern.test(t.expr))).toBe(true);
  });

  it.each(targets.map((t) => ({ panel: t.panel, refId: t.refId, expr: t.expr })))(
    '$panel ($refId) names only series that exist',
    ({ expr }) => {
      const names = seriesIn(expr);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !known.has(n as string))).toEqual([]);
    },
  );
});
