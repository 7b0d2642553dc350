/**
 * The one cluster of a test file, whichever runtime starts it: started in `beforeAll`, stopped in
 * `afterAll`, with clients that follow its addresses.
 */
import type { Cluster } from '@quorum-kv/bench';
import { clientsFor, type ClusterClients } from './cluster-clients';
import { expectConverged } from './stores';
import { putTraced } from './traced-writes';

export interface FileCluster<C extends Cluster> {
  readonly cluster: C;
  /**
   * One client per node at the addresses the cluster names now: a container restarted or
   * reconnected publishes a new host port, and the next read gives clients for it.
   */
  readonly clients: ClusterClients;
  /** False until `beforeAll` has started the cluster (for hooks that must not fail when it did not). */
  readonly isStarted: boolean;
  /** Closes the clients now; the next read of `clients` makes new ones (after a new leader at any address). */
  renewClients(): void;
}

export interface FileClusterOptions<C extends Cluster> {
  /** Writes that every follower acks, then convergence: the cluster is streaming before a test hurts it. */
  warmUpWrites?: number;
  /** Runs before the clients close and the cluster stops, e.g. to resume a paused follower. */
  beforeStop?: (cluster: C) => Promise<unknown>;
  /** The `beforeAll` timeout (jest's test timeout when not given). */
  startTimeoutMs?: number;
}

/** `writes` writes that every follower acks, then convergence. */
export async function warmUp(clients: ClusterClients, writes: number): Promise<void> {
  for (let i = 0; i < writes; i++) await putTraced(clients.leader, `warm-${i}`, i, { w: clients.followers.length });
  await expectConverged(clients);
}

/**
 * Registers the `beforeAll` that starts the file's cluster (`start`, then the warm-up) and the
 * `afterAll` that stops it. Read `cluster` and `clients` in hooks and tests only.
 */
export function clusterPerFile<C extends Cluster>(
  start: () => Promise<C>,
  options: FileClusterOptions<C> = {},
): FileCluster<C> {
  let cluster: C | undefined;
  let clients: ClusterClients | undefined;
  const started = (): C => {
    if (cluster === undefined) throw new Error('the cluster is not started: read it in a hook or a test');
    return cluster;
  };
  const file: FileCluster<C> = {
    get cluster() {
      return started();
    },
    get clients() {
      const now = started();
      if (clients === undefined || !sameAddresses(clients, now)) {
        clients?.close();
        clients = clientsFor(now);
      }
      return clients;
    },
    get isStarted() {
      return cluster !== undefined;
    },
    renewClients() {
      clients?.close();
      clients = undefined;
    },
  };

  beforeAll(async () => {
    cluster = await start();
    if (options.warmUpWrites !== undefined) await warmUp(file.clients, options.warmUpWrites);
  }, options.startTimeoutMs);

  // Either is missing when `beforeAll` failed.
  afterAll(async () => {
    if (cluster !== undefined) await options.beforeStop?.(cluster);
    clients?.close();
    await cluster?.stop();
  });

  return file;
}

function sameAddresses(clients: ClusterClients, cluster: Cluster): boolean {
  return (
    clients.leader.baseUrl === cluster.leaderUrl &&
    clients.followers.every((client, i) => client.baseUrl === cluster.followerUrls[i])
  );
}
