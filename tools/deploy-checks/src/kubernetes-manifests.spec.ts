/**
 * The Kubernetes manifests (k8s/), checked offline: no cluster runs here. Every document is
 * validated against the Kubernetes schemas (kubernetes-models), then against what this store
 * needs: the leader's FOLLOWERS matching the StatefulSet's stable names, readiness on /health,
 * resource requests, the token from the Secret, selectors that select something.
 */
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { listFiles, readYaml, readYamlDocuments } from './repo-files';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/** The kinds the manifests use, by `apiVersion/kind`. A kind missing here fails the test. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as ModelClass,
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
};

// Loose shapes for reading the manifests' fields in the checks below; the schemas check the rest.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Loose;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const kustomization = readYaml<{ namespace: string; resources: string[] }>('k8s', 'kustomization.yaml');
const manifests: Array<{ file: string; doc: Manifest }> = kustomization.resources.flatMap((file) =>
  readYamlDocuments('k8s', file).map((doc) => ({ file, doc: doc as unknown as Manifest })),
);
const find = (kind: string, name: string): Manifest => {
  const found = manifests.find(({ doc }) => doc.kind === kind && doc.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in k8s/`);
  return found.doc;
};
const workloads = manifests.filter(({ doc }) => doc.kind === 'Deployment' || doc.kind === 'StatefulSet');
const containers = workloads.flatMap(({ doc }) =>
  (doc.spec.template.spec.containers as Loose[]).map((c) => ({ workload: doc.metadata.name, container: c })),
);
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('k8s/kustomization.yaml', () => {
  it('lists every manifest in k8s/, and only files that exist', () => {
    const yamlFiles = listFiles('k8s').filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(yamlFiles);
  });

  it('puts everything in one namespace, the one the manifests name', () => {
    for (const { doc } of manifests) {
      if (doc.kind === 'Namespace') expect(doc.metadata.name).toBe(kustomization.namespace);
      else
        expect(`${doc.kind} ${doc.metadata.name}: ${doc.metadata.namespace}`).toBe(
          `${doc.kind} ${doc.metadata.name}: ${kustomization.namespace}`,
        );
    }
  });
});

describe('k8s manifests against the Kubernetes schemas (kubernetes-models)', () => {
  it.each(manifests.map(({ file, doc }) => ({ file, kind: doc.kind, name: doc.metadata.name, doc })))(
    '$file: $kind $name is valid',
    ({ doc }) => {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model).toBeDefined();
      expect(() => new (Model as ModelClass)(doc as never).validate()).not.toThrow();
    },
  );

  it.each([
    // The validator must be able to fail, or the checks above prove nothing.
    { name: 'replicas as a word', patch: (s: Loose) => ({ ...s, spec: { ...s.spec, replicas: 'five' } }) },
    {
      name: 'a container without a name',
      patch: (s: Loose) => {
        const copy = structuredClone(s);
        delete copy.spec.template.spec.containers[0].name;
        return copy;
      },
    },
    { name: 'no selector', patch: (s: Loose) => ({ ...s, spec: { ...s.spec, selector: undefined } }) },
  ])('refuses a broken StatefulSet: $name', ({ patch }) => {
    const broken = patch(find('StatefulSet', 'follower'));
    expect(() => new StatefulSet(broken as never).validate()).toThrow();
  });
});

describe('k8s manifests: what the store needs', () => {
  const followers = find('StatefulSet', 'follower');
  const headless = find('Service', followers.spec.serviceName);

  it('followers are a StatefulSet under a headless Service, so each has a stable DNS name', () => {
    expect(headless.spec.clusterIP).toBe('None');
    expect(selects(headless.spec.selector, followers.spec.template.metadata.labels)).toBe(true);
  });

  it("the leader's FOLLOWERS names every follower pod, in order, by its stable name", () => {
    const expected = Array.from(
      { length: followers.spec.replicas },
      (_, i) => `http://${followers.metadata.name}-${i}.${headless.metadata.name}:8080`,
    );
    expect(find('ConfigMap', 'leader-config').data?.['FOLLOWERS']?.split(',')).toEqual(expected);
  });

  it('the leader is one pod, never two at once', () => {
    const leader = find('Deployment', 'leader');
    expect(leader.spec.replicas).toBe(1);
    expect(leader.spec.strategy.type).toBe('Recreate');
  });

  it.each(containers.map(({ workload, container }) => ({ workload, name: container.name, container })))(
    '$workload/$name: ready on GET /health, resource requests, the token from the Secret',
    ({ container }) => {
      expect(container.readinessProbe?.httpGet?.path).toBe('/health');
      expect(container.resources?.requests).toEqual(
        expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
      );
      const token = (container.env as Loose[]).find((e) => e.name === 'CLUSTER_TOKEN');
      expect(token?.valueFrom?.secretKeyRef).toBeDefined();
      const { name, key } = token.valueFrom.secretKeyRef;
      const secret = find('Secret', name);
      expect(Object.keys({ ...secret.data, ...secret.stringData })).toContain(key);
    },
  );

  it('every Service and the PodDisruptionBudget select pods that a workload creates', () => {
    const selectors = manifests
      .filter(({ doc }) => doc.kind === 'Service' || doc.kind === 'PodDisruptionBudget')
      .map(({ doc }) => ({
        what: `${doc.kind} ${doc.metadata.name}`,
        selector: doc.spec.selector.matchLabels ?? doc.spec.selector,
      }));
    expect(selectors.length).toBeGreaterThanOrEqual(3);
    for (const { what, selector } of selectors) {
      const matching = workloads.filter(({ doc }) => selects(selector, doc.spec.template.metadata.labels));
      expect(`${what}: ${matching.length} workload(s)`).toBe(`${what}: 1 workload(s)`);
    }
  });

  it('the PodDisruptionBudget lets at most one follower go at a time', () => {
    expect(find('PodDisruptionBudget', 'followers').spec.maxUnavailable).toBe(1);
  });

  it.each([
    { workload: 'StatefulSet', name: 'follower' },
    { workload: 'Deployment', name: 'leader' },
  ])('$workload $name keeps DATA_DIR on a volume its user can write', ({ workload, name }) => {
    const pod = find(workload, name).spec.template.spec;
    const [container] = pod.containers as Loose[];
    const dataDir = (container.env as Loose[]).find((e) => e.name === 'DATA_DIR')?.value;
    expect(dataDir).toBe('/data');
    const mount = (container.volumeMounts as Loose[]).find((m) => m.mountPath === dataDir);
    expect(mount).toBeDefined();
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
    // The volume the mount names: a claim template per follower, one claim for the leader.
    const templates = (find(workload, name).spec.volumeClaimTemplates as Loose[] | undefined) ?? [];
    const claim = (pod.volumes as Loose[] | undefined)?.find((v) => v.name === mount.name)?.persistentVolumeClaim;
    if (workload === 'StatefulSet') expect(templates.map((t) => t.metadata.name)).toContain(mount.name);
    else expect(find('PersistentVolumeClaim', claim?.claimName).spec.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('the leader with its ReadWriteOnce volume is never two pods at once (Recreate)', () => {
    expect(find('Deployment', 'leader').spec.strategy.type).toBe('Recreate');
  });
});
