import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * deploy/kubernetes rendered by `kubectl kustomize` (Debian's kubectl) for each overlay and
 * every object validated against the Kubernetes OpenAPI schemas, offline: the validators of
 * the kubernetes-models package, compiled from those schemas. Then what the issue asks of the
 * manifests: probes, a PodDisruptionBudget and an autoscaler for the API, a worker grace period
 * longer than its longest job, the migration Job, every setting in the ConfigMap or the Secret,
 * NetworkPolicies, non-root containers with read-only root filesystems.
 */

const ROOT = join(__dirname, '..', '..');
const OVERLAYS = ['external', 'all-in-one'];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean };
  automountServiceAccountToken?: boolean;
}

function render(overlay: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy', 'kubernetes', 'overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const objects = parseAllDocuments(out).map((d) => d.toJSON() as K8sObject).filter(Boolean);
  // kustomize folds long base64 values over lines; the API server's decoder skips the line breaks.
  for (const o of objects) {
    const data = o.kind === 'Secret' ? (o['data'] as Record<string, string> | undefined) : undefined;
    for (const k of Object.keys(data ?? {})) if (data) data[k] = data[k].replace(/\s+/g, '');
  }
  return objects;
}

/** kubernetes-models' class for an apiVersion and kind: `apps/v1` Deployment → kubernetes-models/apps/v1/Deployment. */
function modelOf(o: K8sObject): { new (data: unknown): { validate(): void } } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model module is chosen by the object's kind
  const mod = require(`kubernetes-models/${o.apiVersion}/${o.kind}`) as Record<string, { new (data: unknown): { validate(): void } }>;
  return mod[o.kind];
}

const podSpec = (o: K8sObject): PodSpec | null => {
  const spec = o['spec'] as { template?: { spec: PodSpec } } | undefined;
  return spec?.template?.spec ?? null;
};

/** Every variable of README's configuration table. */
function documentedSettings(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## API'));
  return [...new Set([...table.matchAll(/^\| ((?:`[A-Z0-9_]+`(?:, | \/ )?)+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z0-9_]+)`/g)].map((v) => v[1])))];
}

describe.each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const objects = render(overlay);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('renders objects that validate against the Kubernetes OpenAPI schemas', () => {
    expect(objects.length).toBeGreaterThan(10);
    const invalid: string[] = [];
    for (const o of objects) {
      try {
        new (modelOf(o))(o).validate();
      } catch (e) {
        invalid.push(`${o.kind}/${o.metadata.name}: ${(e as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
  });

  it('refuses an object the schemas would refuse (the check is real)', () => {
    const api = structuredClone(find('Deployment', 'hindsight-api')) as K8sObject;
    (api['spec'] as { replicas: unknown }).replicas = 'two';
    expect(() => new (modelOf(api))(api).validate()).toThrow(/replicas must be integer/);
  });

  it('gives the API probes, a disruption budget and an autoscaler, and the worker a grace period past its longest job', () => {
    const api = podSpec(find('Deployment', 'hindsight-api') as K8sObject) as PodSpec;
    expect(api.containers[0]).toMatchObject({ readinessProbe: { httpGet: { path: '/health/ready' } }, livenessProbe: { httpGet: { path: '/health/live' } } });
    expect(find('PodDisruptionBudget', 'hindsight-api')).toBeDefined();
    expect(find('HorizontalPodAutoscaler', 'hindsight-api')).toMatchObject({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'hindsight-api' } } });
    const worker = podSpec(find('Deployment', 'hindsight-worker') as K8sObject) as PodSpec;
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(120);
    expect(worker.containers[0]).toMatchObject({ readinessProbe: { httpGet: { path: '/health/ready' } }, livenessProbe: { httpGet: { path: '/health/live' } } });
    const migrate = find('Job', 'hindsight-migrate') as K8sObject;
    expect((podSpec(migrate) as PodSpec).containers[0].command).toContain('dist/server/libs/server/db/src/migrate.main.js');
  });

  it('runs every container as non-root with a read-only root filesystem, without privilege escalation or a service account token', () => {
    const problems: string[] = [];
    for (const o of objects) {
      const spec = podSpec(o);
      if (!spec) continue;
      if (spec.securityContext?.runAsNonRoot !== true) problems.push(`${o.kind}/${o.metadata.name}: runAsNonRoot`);
      if (spec.automountServiceAccountToken !== false) problems.push(`${o.kind}/${o.metadata.name}: automountServiceAccountToken`);
      for (const c of spec.containers) {
        if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${o.metadata.name}/${c.name}: readOnlyRootFilesystem`);
        if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${o.metadata.name}/${c.name}: allowPrivilegeEscalation`);
        if (!c.securityContext?.capabilities?.drop?.includes('ALL')) problems.push(`${o.metadata.name}/${c.name}: capabilities`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('puts every documented setting in the ConfigMap or the Secret, and gives both to the API, the worker and the migration', () => {
    const config = find('ConfigMap', 'hindsight-config') as K8sObject & { data: Record<string, string> };
    const secret = find('Secret', 'hindsight-secrets') as K8sObject & { data?: Record<string, string>; stringData?: Record<string, string> };
    const keys = new Set([...Object.keys(config.data), ...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
    const settings = documentedSettings();
    expect(settings.length).toBeGreaterThan(30);
    // The Secret of an overlay holds what it sets; the base's lists every secret setting.
    const base = readFileSync(join(ROOT, 'deploy', 'kubernetes', 'base', 'secret.yaml'), 'utf8');
    expect(settings.filter((s) => !keys.has(s) && !new RegExp(`^  ${s}:`, 'm').test(base))).toEqual([]);
    for (const name of ['hindsight-api', 'hindsight-worker']) {
      const c = (podSpec(find('Deployment', name) as K8sObject) as PodSpec).containers[0];
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'hindsight-config' } }, { secretRef: { name: 'hindsight-secrets' } }]);
    }
  });

  it('denies by default and lets each part reach only its ports', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.find((p) => p.metadata.name === 'hindsight-default-deny')).toMatchObject({ spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    const migrate = policies.find((p) => p.metadata.name === 'hindsight-migrate') as K8sObject & { spec: { egress: { ports: { port: number }[] }[] } };
    expect(migrate.spec.egress.flatMap((e) => e.ports.map((p) => p.port)).sort((a, b) => a - b)).toEqual([53, 53, 5432, 6432]);
    const selected = new Set(policies.map((p) => ((p['spec'] as { podSelector: { matchLabels?: Record<string, string> } }).podSelector.matchLabels ?? {})['app.kubernetes.io/name']));
    for (const o of objects.filter((x) => podSpec(x))) expect(selected).toContain(o.metadata.labels?.['app.kubernetes.io/name']);
  });
});
