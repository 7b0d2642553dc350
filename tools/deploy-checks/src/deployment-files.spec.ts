/**
 * docker-compose.yml, the Prometheus scrape config and the Swarm stack, checked offline for the
 * choices the docs promise: ports on 127.0.0.1 and overridable, health checks with room on a
 * busy host, Prometheus scraping every node, names that resolve without IPVS in Swarm.
 */
import { readText, readYaml } from './repo-files';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Service = Record<string, any>;
const compose = readYaml<{ services: Record<string, Service>; volumes: Record<string, unknown> }>(
  'docker',
  'docker-compose.yml',
);
const stack = readYaml<{ services: Record<string, Service>; networks: Record<string, Service> }>(
  'docker',
  'swarm',
  'stack.yml',
);
const encrypted = readYaml<{ networks: Record<string, Service> }>('docker', 'swarm', 'stack.encrypted.yml');
const prometheus = readYaml<{
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
}>('docker', 'prometheus', 'prometheus.yml');
const nodes = ['leader', 'follower1', 'follower2', 'follower3', 'follower4', 'follower5'];
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);

describe('docker-compose.yml', () => {
  it.each(nodes.map((name, i) => ({ name, variable: i === 0 ? 'LEADER_PORT' : `FOLLOWER${i}_PORT`, port: 8080 + i })))(
    '$name publishes on ${BIND_ADDRESS:-127.0.0.1}, port ${$variable:-$port}',
    ({ name, variable, port }) => {
      expect(compose.services[name]?.ports).toEqual([`\${BIND_ADDRESS:-127.0.0.1}:\${${variable}:-${port}}:8080`]);
    },
  );

  it.each(nodes)(
    '%s: a health check with room for a slow node start (timeout >= 5 s, start period >= 30 s)',
    (name) => {
      const check = compose.services[name]?.healthcheck;
      expect(seconds(check.timeout)).toBeGreaterThanOrEqual(5);
      expect(seconds(check.start_period)).toBeGreaterThanOrEqual(30);
      // Node's own fetch timeout must end before Docker's, or a slow answer reads as a hang.
      const fetchTimeoutMs = Number(/AbortSignal\.timeout\((\d+)\)/.exec(check.test.join(' '))?.[1]);
      expect(fetchTimeoutMs).toBeLessThan(seconds(check.timeout) * 1000);
    },
  );

  it.each(nodes)('%s keeps DATA_DIR=/data on a named volume of its own', (name) => {
    const service = compose.services[name] as Service;
    expect(service['environment']?.DATA_DIR ?? service['environment']?.['<<']?.DATA_DIR).toBe('/data');
    expect(service['volumes']).toEqual([`${name}-data:/data`]);
    expect(Object.keys(compose.volumes)).toContain(`${name}-data`);
  });

  it('runs Prometheus only in the monitoring profile and Grafana only in its own', () => {
    expect(compose.services['prometheus']?.profiles).toEqual(['monitoring']);
    expect(compose.services['grafana']?.profiles).toEqual(['grafana']);
    for (const name of nodes) expect(compose.services[name]?.profiles).toBeUndefined();
  });
});

describe('docker/prometheus/prometheus.yml', () => {
  it('scrapes exactly the six nodes of the compose file, on their port', () => {
    const targets = prometheus.scrape_configs
      .filter((job) => job.job_name.startsWith('quorumkv-'))
      .flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    expect(targets.sort()).toEqual(nodes.map((n) => `${n}:8080`).sort());
  });
});

describe('docker/swarm/stack.yml', () => {
  it.each(nodes)('%s resolves by DNS round robin (no IPVS needed) and restarts on any exit', (name) => {
    expect(stack.services[name]?.deploy?.endpoint_mode).toBe('dnsrr');
    expect(stack.services[name]?.deploy?.restart_policy?.condition).toBe('any');
  });

  it('publishes the leader in host mode (no routing mesh), and nothing else', () => {
    expect(stack.services['leader']?.ports).toEqual([
      { target: 8080, published: '${LEADER_PORT:-8080}', protocol: 'tcp', mode: 'host' },
    ]);
    for (const name of nodes.slice(1)) expect(stack.services[name]?.ports).toBeUndefined();
  });

  it('runs over an overlay network, encrypted by stack.encrypted.yml', () => {
    expect(stack.networks['quorum-kv']?.driver).toBe('overlay');
    expect(encrypted.networks['quorum-kv']?.driver_opts).toEqual({ encrypted: '' });
  });

  it('names the same follower URLs as the compose file', () => {
    expect(stack.services['leader']?.environment.FOLLOWERS).toBe(compose.services['leader']?.environment.FOLLOWERS);
  });

  it('never runs two leaders: one replica, the old task stopped first', () => {
    expect(stack.services['leader']?.deploy).toMatchObject({ replicas: 1, update_config: { order: 'stop-first' } });
    expect(readText('docker', 'swarm', 'stack.yml')).not.toMatch(/mode:\s*global/);
  });
});
