/**
 * The `docker` runtime: the leader and N followers as containers on a Docker network of their
 * own, started with testcontainers from the images `docker/{leader,follower}.Dockerfile` build.
 * Every node publishes its port 8080 on 127.0.0.1 only (a random host port); the leader reaches
 * follower K at http://followerK:8080 (a network alias). Faults: stop and restart (a new
 * container under the same alias: empty, or with `dataDir` on the node's named volume, so with
 * its log), docker pause/unpause, and network disconnect/connect.
 *
 * No registry is reachable on our machines, so nothing may be pulled: the base image (build arg
 * NODE_IMAGE) must exist locally and is checked before the build, because the classic builder
 * would otherwise try to pull it. testcontainers' reaper (Ryuk) is an image too, so it is off,
 * and this runtime removes what it creates itself: every container and the network carry the
 * label `org.quorum-kv.cluster=<id>`, and `stop()` removes by that label, so a start that failed
 * half-way leaves nothing behind. Another process may share the engine: nothing else is touched.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  GenericContainer,
  ImageName,
  getContainerRuntimeClient,
  type ContainerRuntimeClient,
  type StartedTestContainer,
  type WaitStrategy,
} from 'testcontainers';
import { clusterSettings, type ClusterSettings, type LeaderControl, type LocalCluster, type Runtime } from './cluster';
import { followerEnv, leaderEnv, leaderIdOf } from './node-env';
import { WORKSPACE_ROOT, ensureBuilt } from './build';

// testcontainers reads these when it first talks to the engine, not at import. Without them it
// would pull the reaper image and an alpine image (to find a gateway), and nothing can be pulled.
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= 'localhost';

export const DEFAULT_NODE_IMAGE = 'quorum-kv/node-base:local';
export const LEADER_IMAGE = 'quorum-kv/leader:test';
export const FOLLOWER_IMAGE = 'quorum-kv/follower:test';
export const CLUSTER_LABEL = 'org.quorum-kv.cluster';
const ROLE_LABEL = 'org.quorum-kv.role';
const NODE_PORT = 8080;
const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
const RECONNECT_TIMEOUT_MS = 15_000;

export interface DockerClusterSettings extends ClusterSettings {
  /** Base image of both node images (build arg NODE_IMAGE); must exist locally. */
  nodeImage?: string;
  /** LOG_LEVEL of every node (default `info`; `docker logs` shows it). */
  logLevel?: string;
  /** How long one node may take to answer /health after it started. */
  startupTimeoutMs?: number;
}

/**
 * The docker runtime also cuts a follower off the network (`cut` is `disconnectFollower`: the
 * follower keeps running, packets to it go nowhere), and restarts the leader as a new container
 * under the same alias (its published port, so `leaderUrl`, changes). `startExtraLeader` runs a
 * second leader container under an alias of its own (`leader-extraK`) on the same network, with
 * the same FOLLOWERS; `kill()` on its control removes it (SIGKILL), whatever the signal asked.
 */
export interface DockerCluster extends LocalCluster {
  /** Docker network the nodes share (unique per cluster). */
  readonly networkName: string;
  /** Value of the `org.quorum-kv.cluster` label on everything this cluster created. */
  readonly clusterId: string;
  /**
   * Disconnects follower i (0-based) from the cluster network: the leader's RPCs to it get no
   * answer. Its published port goes with its only network, so `followerUrls[i]` cannot be
   * reached either until `reconnectFollower(i)`.
   */
  disconnectFollower(i: number): Promise<void>;
  /** Connects follower i again under its alias, waits for /health, and updates `followerUrls[i]` (a new host port). */
  reconnectFollower(i: number): Promise<void>;
  /** The last lines a node wrote (stdout and stderr), for failing tests. */
  logs(node: 'leader' | number, tailLines?: number): Promise<string>;
}

/** A node container that publishes on 127.0.0.1 only and joins exactly one network under its aliases. */
class ClusterNodeContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly networkName: string,
    private readonly aliases: string[],
  ) {
    super(image);
    // Network mode without testcontainers' aliases: with aliases it would create the container
    // on the default bridge and connect it to this network as well.
    this.withNetworkMode(networkName).withExposedPorts(NODE_PORT);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) {
      for (const binding of bindings as Array<{ HostIp?: string }>) binding.HostIp = '127.0.0.1';
    }
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [this.networkName]: { Aliases: this.aliases } } };
  }
}

interface FollowerSlot {
  container: StartedTestContainer | null;
  generation: number;
}

interface LiveCluster {
  clusterId: string;
  networkId: string;
  aborted: boolean;
  removeAll: () => Promise<void>;
}
const live = new Set<LiveCluster>();

/**
 * The last resort when this process ends with clusters alive (a crash, process.exit, Ctrl-C):
 * only synchronous work runs then, so the docker CLI removes them. Best effort by design.
 */
function removeLiveClustersNow(): void {
  for (const cluster of live) {
    try {
      const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${CLUSTER_LABEL}=${cluster.clusterId}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      })
        .split(/\s+/)
        .filter((id) => id !== '');
      if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore', timeout: 30_000 });
      execFileSync('docker', ['network', 'rm', cluster.networkId], { stdio: 'ignore', timeout: 10_000 });
      const volumes = execFileSync(
        'docker',
        ['volume', 'ls', '-q', '--filter', `name=${networkNameOf(cluster.clusterId)}-`],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 10_000,
        },
      )
        .split(/\s+/)
        .filter((name) => name !== '');
      if (volumes.length > 0)
        execFileSync('docker', ['volume', 'rm', ...volumes], { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // nothing more can be done while the process exits
    }
  }
  live.clear();
}
process.once('exit', removeLiveClustersNow);

/** On SIGINT/SIGTERM with clusters alive: remove them, then let the signal do what it would have done. */
function onSignal(signal: NodeJS.Signals): void {
  removeLiveClustersNow();
  untrack();
  process.kill(process.pid, signal);
}

function track(cluster: LiveCluster): void {
  if (live.size === 0) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
  live.add(cluster);
}

function untrack(cluster?: LiveCluster): void {
  if (cluster) live.delete(cluster);
  if (live.size === 0) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeListener(signal, onSignal);
}

/**
 * Removes every cluster this process started, including one still starting (it notices and
 * cleans up after itself). For test teardown: a beforeAll that timed out never got its cluster.
 */
export async function stopAllDockerClusters(): Promise<void> {
  await Promise.all(
    [...live].map(async (cluster) => {
      cluster.aborted = true;
      await cluster.removeAll();
      untrack(cluster);
    }),
  );
}

export const dockerRuntime: Runtime = {
  start(config, { clusterToken, log }) {
    log(`starting a leader and ${config.followers} followers as containers (testcontainers)`);
    return startDockerCluster(clusterSettings(config, clusterToken));
  },
};

const networkNameOf = (clusterId: string) => `quorum-kv-${clusterId}`;

/** Where a node keeps its DATA_DIR inside its container. */
const CONTAINER_DATA_DIR = '/data';
/** The named volume of a node (by network alias): `quorum-kv-<cluster>-<alias>-data`. */
const volumeNameOf = (clusterId: string, alias: string) => `${networkNameOf(clusterId)}-${alias}-data`;

/**
 * With `dataDir` set, every node keeps DATA_DIR on a named volume of its own (the host path
 * itself is not used: the volumes live in the engine, and go with the cluster).
 */
function volumeEnv(settings: ClusterSettings): Record<string, string> {
  if (settings.dataDir === undefined) return {};
  return { DATA_DIR: CONTAINER_DATA_DIR, ...(settings.fsync && { FSYNC: settings.fsync }) };
}

/** The cluster's own network, labelled, and tracked so that it is removed whatever happens next. */
async function createClusterNetwork(client: ContainerRuntimeClient): Promise<LiveCluster> {
  const clusterId = randomUUID().slice(0, 8);
  const network = await client.network.create({
    Name: networkNameOf(clusterId),
    CheckDuplicate: true,
    Driver: 'bridge',
    Labels: { [CLUSTER_LABEL]: clusterId, 'org.quorum-kv': 'network' },
  });
  const handle: LiveCluster = {
    clusterId,
    networkId: network.id,
    aborted: false,
    removeAll: () => removeClusterResources(client, clusterId, network.id),
  };
  track(handle);
  return handle;
}

export async function startDockerCluster(settings: DockerClusterSettings): Promise<DockerCluster> {
  const client = await reachDocker();
  await buildNodeImages(client, settings.nodeImage ?? DEFAULT_NODE_IMAGE);
  const handle = await createClusterNetwork(client);
  const networkName = networkNameOf(handle.clusterId);
  const starters = nodeStarters(settings, handle.clusterId, networkName);
  const { leader, slots } = await startNodes(handle, settings.followers, starters);
  return controlledCluster({
    client,
    handle,
    networkName,
    leader,
    slots,
    clusterToken: settings.clusterToken,
    ...starters,
    aliasOf: followerAlias,
    urlOf: hostUrlOf,
  });
}

const followerAlias = (i: number) => `follower${i + 1}`;
const hostUrlOf = (container: StartedTestContainer) => `http://127.0.0.1:${container.getMappedPort(NODE_PORT)}`;

type NodeStarters = Pick<StartedDockerCluster, 'startFollower' | 'startLeader'>;

/** How this cluster starts a follower or a leader container: its labels, environment, volume and wait. */
function nodeStarters(settings: DockerClusterSettings, clusterId: string, networkName: string): NodeStarters {
  const startupTimeoutMs = settings.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const logLevel = settings.logLevel ?? 'info';
  const leaderId = leaderIdOf(settings, clusterId);
  const startNode = (
    image: string,
    role: string,
    alias: string,
    generation: number,
    env: Record<string, string>,
    waitReady = true,
  ) => {
    const container = new ClusterNodeContainer(image, networkName, [alias])
      .withName(`${networkName}-${alias}-${generation}`)
      .withLabels({ [CLUSTER_LABEL]: clusterId, [ROLE_LABEL]: role, 'org.quorum-kv': role })
      .withEnvironment({ ...env, ...volumeEnv(settings), PORT: String(NODE_PORT), LOG_LEVEL: logLevel })
      .withWaitStrategy(new HealthWait(waitReady))
      .withStartupTimeout(startupTimeoutMs);
    // A named volume per alias: a node's next container (same alias) mounts the same one.
    if (settings.dataDir !== undefined)
      container.withBindMounts([{ source: volumeNameOf(clusterId, alias), target: CONTAINER_DATA_DIR }]);
    return container.start();
  };
  const leaderEnvAll = leaderEnv(
    settings,
    leaderId,
    Array.from({ length: settings.followers }, (_, i) => `http://${followerAlias(i)}:${NODE_PORT}`),
  );
  return {
    startFollower: (i, generation) =>
      startNode(FOLLOWER_IMAGE, 'follower', followerAlias(i), generation, followerEnv(settings, leaderId, i)),
    startLeader: (generation, envOverrides, waitReady, alias = 'leader') =>
      startNode(LEADER_IMAGE, 'leader', alias, generation, { ...leaderEnvAll, ...envOverrides }, waitReady),
  };
}

/** The first generation of every node, followers first; on any failure everything started is removed. */
async function startNodes(
  handle: LiveCluster,
  followerCount: number,
  starters: NodeStarters,
): Promise<{ leader: StartedTestContainer; slots: FollowerSlot[] }> {
  const slots: FollowerSlot[] = [];
  try {
    // allSettled, not all: on a failure every other start must have ended before the clean-up
    // lists the containers, or one created a moment later would be left behind.
    const followers = await Promise.allSettled(
      Array.from({ length: followerCount }, (_, i) => starters.startFollower(i, 1)),
    );
    for (const result of followers) {
      if (result.status === 'rejected') throw result.reason;
      slots.push({ container: result.value, generation: 1 });
    }
    const leader = await starters.startLeader(1, {}, true);
    if (handle.aborted) throw new Error('the docker cluster was stopped while it was starting');
    return { leader, slots };
  } catch (err) {
    await handle.removeAll();
    untrack(handle);
    throw err;
  }
}

/** What the faults and the stop of a started docker cluster work on. */
interface StartedDockerCluster {
  client: ContainerRuntimeClient;
  handle: LiveCluster;
  networkName: string;
  leader: StartedTestContainer;
  slots: FollowerSlot[];
  clusterToken: string;
  startFollower: (i: number, generation: number) => Promise<StartedTestContainer>;
  /** A leader container of this generation (under `alias`, default `leader`), with the cluster's leader environment plus the overrides. */
  startLeader: (
    generation: number,
    envOverrides: Record<string, string>,
    waitReady: boolean,
    alias?: string,
  ) => Promise<StartedTestContainer>;
  aliasOf: (i: number) => string;
  urlOf: (container: StartedTestContainer) => string;
}

/** A container's docker pause and unpause (the process freezes; its connections stay open). */
function pausable(client: ContainerRuntimeClient, container: () => StartedTestContainer) {
  return {
    pause: async () => client.container.getById(container().getId()).pause(),
    resume: async () => client.container.getById(container().getId()).unpause(),
  };
}

/** An extra leader's control: pause/resume are docker pause/unpause; kill removes it (SIGKILL). */
function extraLeaderControl(
  client: ContainerRuntimeClient,
  container: StartedTestContainer,
  url: string,
): LeaderControl {
  let removed = false;
  return {
    url,
    async kill() {
      if (removed) return;
      removed = true;
      await forceRemove(client, container.getId());
    },
    ...pausable(client, () => container),
  };
}

/** The leader of a started cluster: its control, its restart as a new container, and extra leaders. */
function leaderSide(started: StartedDockerCluster) {
  const { client, startLeader, urlOf } = started;
  let leader: StartedTestContainer | null = started.leader;
  let generation = 1;
  let url = urlOf(started.leader);
  let extraLeaders = 0;
  const running = (): StartedTestContainer => {
    if (!leader) throw new Error('the leader is stopped; restartLeader() first');
    return leader;
  };
  const remove = async () => {
    if (!leader) return;
    const old = leader;
    leader = null;
    // Removed with SIGKILL at once (a crash); only then may another leader start.
    await forceRemove(client, old.getId());
  };
  const control: LeaderControl = {
    get url() {
      return url;
    },
    async kill() {
      await remove();
    },
    ...pausable(client, running),
  };
  const restartLeader: DockerCluster['restartLeader'] = async (envOverrides = {}, options = {}) => {
    await remove();
    generation += 1;
    leader = await startLeader(generation, envOverrides, options.waitReady !== false);
    url = urlOf(leader);
  };
  const startExtraLeader: DockerCluster['startExtraLeader'] = async (envOverrides = {}, options = {}) => {
    extraLeaders += 1;
    const container = await startLeader(1, envOverrides, options.waitReady !== false, `leader-extra${extraLeaders}`);
    return extraLeaderControl(client, container, urlOf(container));
  };
  return { url: () => url, running, control, restartLeader, startExtraLeader };
}

type FollowerFaults = Pick<
  DockerCluster,
  'killFollower' | 'restartFollower' | 'pauseFollower' | 'resumeFollower' | 'disconnectFollower' | 'reconnectFollower'
>;

/** The faults a test injects into the followers of a started cluster; they keep `followerUrls` current. */
function followerSide(started: StartedDockerCluster, followerUrls: string[]) {
  const { client, handle, slots, startFollower, aliasOf, urlOf } = started;
  const running = (i: number): StartedTestContainer => {
    const container = slotAt(slots, i).container;
    if (!container) throw new Error(`follower ${i + 1} is stopped; restartFollower(${i}) first`);
    return container;
  };
  const network = () => client.network.getById(handle.networkId);
  const faults: FollowerFaults = {
    async killFollower(i) {
      const slot = slotAt(slots, i);
      const container = running(i);
      slot.container = null;
      // Timeout 0 is SIGKILL at once (abrupt, like a crash); the container is removed, so a restart starts empty (or from its volume, with dataDir).
      await container.stop({ timeout: 0, remove: true });
    },
    async restartFollower(i) {
      const slot = slotAt(slots, i);
      if (slot.container) {
        const old = slot.container;
        slot.container = null;
        await forceRemove(client, old.getId());
      }
      slot.generation += 1;
      slot.container = await startFollower(i, slot.generation);
      followerUrls[i] = urlOf(slot.container);
    },
    pauseFollower: (i) => pausable(client, () => running(i)).pause(),
    resumeFollower: (i) => pausable(client, () => running(i)).resume(),
    async disconnectFollower(i) {
      await network().disconnect({ Container: running(i).getId() });
    },
    async reconnectFollower(i) {
      const id = running(i).getId();
      await network().connect({ Container: id, EndpointConfig: { Aliases: [aliasOf(i)] } });
      followerUrls[i] = await waitForHealth(client.container.getById(id), RECONNECT_TIMEOUT_MS);
    },
  };
  return { running, faults };
}

/** The cluster's handle: its URLs, its stop, the leader's faults and the followers'. */
function controlledCluster(started: StartedDockerCluster): DockerCluster {
  const { client, handle, slots, urlOf } = started;
  const followerUrls = slots.map((slot) => urlOf(slot.container as StartedTestContainer));
  const leader = leaderSide(started);
  const followers = followerSide(started, followerUrls);
  let stopped = false;
  return {
    get leaderUrl() {
      return leader.url();
    },
    leader: leader.control,
    restartLeader: leader.restartLeader,
    startExtraLeader: leader.startExtraLeader,
    ...followers.faults,
    cut: (i) => followers.faults.disconnectFollower(i),
    heal: (i) => followers.faults.reconnectFollower(i),
    followerUrls,
    clusterToken: started.clusterToken,
    networkName: started.networkName,
    clusterId: handle.clusterId,
    async stop() {
      if (stopped) return;
      stopped = true;
      await handle.removeAll();
      untrack(handle);
    },
    async logs(node, tailLines = 50) {
      const container = node === 'leader' ? leader.running() : followers.running(node);
      return lastLogLines(client.container.getById(container.getId()), tailLines);
    },
  };
}

async function reachDocker(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`no Docker engine is reachable (${why}); start one with: bash tools/docker/setup-docker.sh`);
  }
}

/** Builds both node images from the current bundles (a layer-cached rebuild takes about a second). */
async function buildNodeImages(client: ContainerRuntimeClient, nodeImage: string): Promise<void> {
  if (!(await client.image.exists(ImageName.fromString(nodeImage)))) {
    throw new Error(
      `base image ${nodeImage} is not on this machine and nothing can be pulled; build it with: bash tools/docker/setup-docker.sh`,
    );
  }
  ensureBuilt();
  await Promise.all([
    buildImage(client, 'docker/leader.Dockerfile', LEADER_IMAGE, nodeImage),
    buildImage(client, 'docker/follower.Dockerfile', FOLLOWER_IMAGE, nodeImage),
  ]);
}

/**
 * testcontainers (11.14) does not notice a failed build when the tag already exists: it keeps
 * the old image without a word. So each build goes to a fresh tag, which only a successful build
 * can create, and that image is then tagged `image` (a tag moves at once; containers running
 * from the old image are not disturbed) and the fresh tag removed.
 */
async function buildImage(
  client: ContainerRuntimeClient,
  dockerfile: string,
  image: string,
  nodeImage: string,
): Promise<void> {
  const buildTag = `${image}-build-${randomUUID().slice(0, 8)}`;
  try {
    await GenericContainer.fromDockerfile(WORKSPACE_ROOT, dockerfile)
      .withBuildArgs({ NODE_IMAGE: nodeImage })
      .build(buildTag, { deleteOnExit: false });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `building ${dockerfile} failed (${why}); for the builder's reason run: docker build -f ${dockerfile} --build-arg NODE_IMAGE=${nodeImage} .`,
    );
  }
  const images = client.container.dockerode;
  const previousId = await images
    .getImage(image)
    .inspect()
    .then(
      (info) => info.Id,
      () => undefined,
    );
  const built = images.getImage(buildTag);
  const colon = image.lastIndexOf(':');
  await built.tag({ repo: image.slice(0, colon), tag: image.slice(colon + 1) });
  await built.remove();
  // The image the tag left, unless a container still uses it (then Docker refuses: fine).
  const currentId = await images
    .getImage(image)
    .inspect()
    .then((info) => info.Id);
  if (previousId && previousId !== currentId)
    await images
      .getImage(previousId)
      .remove()
      .catch(() => undefined);
}

/** Force-removes (kills, even when paused) every container of the cluster, then its network. */
async function removeClusterResources(
  client: ContainerRuntimeClient,
  clusterId: string,
  networkId: string,
): Promise<void> {
  const containers = await client.container.dockerode.listContainers({
    all: true,
    filters: { label: [`${CLUSTER_LABEL}=${clusterId}`] },
  });
  await Promise.all(containers.map((c) => forceRemove(client, c.Id)));
  try {
    await client.network.getById(networkId).remove();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  // The nodes' named volumes (dataDir), once no container holds them.
  const { Volumes } = await client.container.dockerode.listVolumes({
    filters: { name: [`${networkNameOf(clusterId)}-`] },
  });
  await Promise.all(
    (Volumes ?? []).map((v) =>
      client.container.dockerode
        .getVolume(v.Name)
        .remove()
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        }),
    ),
  );
}

async function forceRemove(client: ContainerRuntimeClient, containerId: string): Promise<void> {
  try {
    await client.container.getById(containerId).remove({ force: true, v: true });
  } catch (err) {
    // Already gone, or being removed by a concurrent call.
    if (!isNotFound(err) && (err as { statusCode?: number }).statusCode !== 409) throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

type DockerContainer = Parameters<WaitStrategy['waitUntilReady']>[0];

/**
 * Polls GET /health on the container's published port until it answers 200, and returns the
 * node's URL. The port is read again each round (after a network reconnect it is a new one).
 * If the container exits, fails at once with its last log lines: testcontainers' own
 * `abortOnContainerExit` can wait for good on the log stream, leaving a promise that never settles.
 */
/** Polls /health until 200 (serving), or with `serving` false until it answers at all (e.g. a leader still recovering). */
async function waitForHealth(container: DockerContainer, timeoutMs: number, serving = true): Promise<string> {
  const deadlineMs = Date.now() + timeoutMs;
  let lastProblem = 'no port published yet';
  for (;;) {
    const info = await container.inspect();
    const name = info.Name.replace(/^\//, '');
    if (!info.State.Running) {
      throw new Error(
        `${name} exited with code ${info.State.ExitCode} before answering /health: ${await lastLogLines(container, 20)}`,
      );
    }
    const port = info.NetworkSettings.Ports?.[`${NODE_PORT}/tcp`]?.find(
      (binding) => binding.HostIp === '127.0.0.1',
    )?.HostPort;
    if (port) {
      const url = `http://127.0.0.1:${port}`;
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok || !serving) return url;
        lastProblem = `/health answered ${res.status}`;
      } catch (err) {
        lastProblem = err instanceof Error ? err.message : String(err);
      }
    }
    if (Date.now() >= deadlineMs) {
      throw new Error(
        `${name} did not answer /health within ${timeoutMs} ms (${lastProblem}): ${await lastLogLines(container, 20)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `waitForHealth` as a testcontainers wait strategy (the image has no shell for its port wait). */
class HealthWait implements WaitStrategy {
  private startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS;
  private startupTimeoutSet = false;

  constructor(private readonly serving = true) {}

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.startupTimeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.startupTimeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }

  async waitUntilReady(container: DockerContainer): Promise<void> {
    await waitForHealth(container, this.startupTimeoutMs, this.serving);
  }
}

/** The last lines a container wrote. Without a TTY Docker multiplexes stdout and stderr in frames with 8-byte headers. */
async function lastLogLines(container: DockerContainer, tailLines: number): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, tail: tailLines, follow: false });
  const parts: string[] = [];
  for (let offset = 0; offset + 8 <= raw.length;) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return parts.join('').trim();
}

function slotAt(slots: FollowerSlot[], i: number): FollowerSlot {
  const slot = slots[i];
  if (!slot) throw new RangeError(`no follower index ${i}`);
  return slot;
}
