import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';

/*
 * deploy/kubernetes/*.yaml against the Kubernetes API's own schemas, offline: the strict definitions vendored
 * in deploy/schemas (Kubernetes v1.13.4 OpenAPI from the npm package kubernetes-client@9.0.0; see deploy/README.md),
 * then what ties the manifests to Preflight: the probes hit /healthz on the container's port, the env the
 * pods get passes loadEnv, the ConfigMap holds a valid preflight.yml where PREFLIGHT_CONFIG points.
 */

// ajv is CommonJS: under NodeNext its default import is the module object; `.default` is the class.
const Ajv = AjvModule.default;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(root, 'deploy/schemas/kubernetes-v1.13.4-strict.json'), 'utf8'));
// formats (int32, int64, byte…) are OpenAPI's annotations of the wire format, not checked (as kubeconform does)
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(schema, 'k8s');

const DEFINITIONS: Record<string, string> = {
  'apps/v1 Deployment': 'io.k8s.api.apps.v1.Deployment',
  'v1 Service': 'io.k8s.api.core.v1.Service',
  'v1 ConfigMap': 'io.k8s.api.core.v1.ConfigMap',
  'v1 Secret': 'io.k8s.api.core.v1.Secret',
};

/** Schema errors of one Kubernetes object, as "instancePath message" lines ([] when valid). */
function schemaErrors(obj: any): string[] {
  const def = DEFINITIONS[`${obj?.apiVersion} ${obj?.kind}`];
  if (!def) return [`no schema for ${obj?.apiVersion} ${obj?.kind}`];
  const validate = ajv.getSchema(`k8s#/definitions/${def}`)!;
  return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`);
}

const dir = join(root, 'deploy/kubernetes');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const objects = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
    expect(doc.errors, file).toEqual([]);
    return { file, obj: doc.toJSON() as any };
  }),
);
const byKind = (kind: string) => objects.filter((o) => o.obj.kind === kind).map((o) => o.obj);

describe('deploy/kubernetes against the Kubernetes schemas (offline)', () => {
  it('holds a Deployment, a Service, a ConfigMap and a Secret', () => {
    expect(objects.map((o) => o.obj.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Secret', 'Service']);
  });

  for (const { file, obj } of objects) {
    it(`${file}: ${obj.kind} ${obj.metadata?.name} is valid`, () => {
      expect(schemaErrors(obj)).toEqual([]);
    });
  }

  it('the schemas are strict: typos, wrong types and unknown kinds are errors, not ignored', () => {
    const deployment = structuredClone(byKind('Deployment')[0]);
    const container = deployment.spec.template.spec.containers[0];
    container.readinessprobe = container.readinessProbe; // a typo kubectl would drop silently
    deployment.spec.replicas = 'two';
    container.ports[0].containerPort = '3000';
    expect(schemaErrors(deployment)).toEqual(
      expect.arrayContaining([
        '/spec/replicas must be integer',
        '/spec/template/spec/containers/0 must NOT have additional properties: readinessprobe',
        '/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      ]),
    );
    expect(schemaErrors({ ...byKind('Service')[0], apiVersion: 'apps/v1' })).toEqual(['no schema for apps/v1 Service']);
    const { metadata: _m, ...noMetadata } = byKind('Secret')[0];
    expect(schemaErrors(noMetadata)).toEqual(["/ must have required property 'metadata'"]);
    // int-or-string and quantities accept both forms, as the API server does
    const flexible = structuredClone(byKind('Deployment')[0]);
    flexible.spec.template.spec.containers[0].readinessProbe.httpGet.port = 3000;
    flexible.spec.template.spec.containers[0].resources.requests.cpu = 0.1;
    expect(schemaErrors(flexible)).toEqual([]);
  });
});

describe('deploy/kubernetes fits Preflight', () => {
  const [deployment] = byKind('Deployment');
  const [service] = byKind('Service');
  const [configMap] = byKind('ConfigMap');
  const [secret] = byKind('Secret');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));

  it('two replicas; readiness and liveness probe GET /healthz on the port Preflight listens on', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.selector.matchLabels).toEqual(pod.metadata.labels);
    const port = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(String(port.containerPort)).toBe(env.PORT);
    for (const probe of [container.readinessProbe, container.livenessProbe]) expect(probe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // liveness gives up later than readiness: an outage takes pods out of the Service before it restarts them
    const window = (p: { periodSeconds: number; failureThreshold: number }) => p.periodSeconds * p.failureThreshold;
    expect(window(container.livenessProbe)).toBeGreaterThan(window(container.readinessProbe));
    // shutdown (≤ 10 s, src/main.ts) fits in the grace period
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(10);
  });

  it("runs as the image's unprivileged user (the Dockerfile's USER node: uid 1000 in the official Node.js images)", () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  it('the Service sends port 80 to those pods', () => {
    expect(service.spec.selector).toEqual(pod.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('tokens come from the Secret; the pod environment passes loadEnv', () => {
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
      expect(secret.stringData[name], name).toBeTypeOf('string');
      expect(env[name], `${name} belongs in the Secret, not in the Deployment`).toBeUndefined();
    }
    expect(loadEnv({ ...secret.stringData, ...env })).toMatchObject({ PORT: 3000, PREFLIGHT_CONFIG: '/etc/preflight/preflight.yml', LOG_FORMAT: 'json', METRICS_TOKEN: expect.any(String) });
  });

  it('PREFLIGHT_CONFIG points at the ConfigMap’s preflight.yml, which is a valid config', () => {
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === 'config');
    const volume = pod.spec.volumes.find((v: { name: string }) => v.name === 'config');
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    expect(env.PREFLIGHT_CONFIG).toBe(`${mount.mountPath}/preflight.yml`);
    expect(() => parseWorkspaceConfig(configMap.data['preflight.yml'], 'deploy/kubernetes/configmap.yaml#preflight.yml')).not.toThrow();
  });
});
