// Builds deploy/schemas/kubernetes-v1.13.4-strict.json from the Kubernetes OpenAPI (Swagger 2.0) spec that the npm
// package kubernetes-client@9.0.0 ships as lib/specs/swagger-1.13.json.gz (see README.md beside this file).
//
//   npm pack kubernetes-client@9.0.0 && tar xzf kubernetes-client-9.0.0.tgz
//   node deploy/schemas/extract.mjs package/lib/specs/swagger-1.13.json.gz > deploy/schemas/kubernetes-v1.13.4-strict.json
//
// Keeps the definitions the kinds in KINDS need (their $ref closure) and makes them JSON Schema the way
// kubeconform's "strict" schemas do: objects with properties reject unknown keys (a typo such as
// `readinessprobe` fails instead of being ignored), int-or-string accepts both, Quantity accepts a number
// or a string, apiVersion/kind are pinned to the kind's group/version. Descriptions and x-kubernetes-*
// extensions are dropped.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const KINDS = {
  'io.k8s.api.apps.v1.Deployment': { apiVersion: 'apps/v1', kind: 'Deployment' },
  'io.k8s.api.core.v1.Service': { apiVersion: 'v1', kind: 'Service' },
  'io.k8s.api.core.v1.ConfigMap': { apiVersion: 'v1', kind: 'ConfigMap' },
  'io.k8s.api.core.v1.Secret': { apiVersion: 'v1', kind: 'Secret' },
};

const swagger = JSON.parse(gunzipSync(readFileSync(process.argv[2])).toString('utf8'));
const all = swagger.definitions;
const wanted = new Set();
const visit = (name) => {
  if (wanted.has(name)) return;
  if (!all[name]) throw new Error(`no definition ${name}`);
  wanted.add(name);
  JSON.stringify(all[name], (k, v) => {
    if (k === '$ref') visit(v.replace('#/definitions/', ''));
    return v;
  });
};
for (const name of Object.keys(KINDS)) visit(name);

const convert = (schema) => {
  if (Array.isArray(schema)) return schema.map(convert);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' || k.startsWith('x-kubernetes-')) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s)])) : convert(v);
  }
  if (out.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
};

const definitions = {};
for (const name of [...wanted].sort()) {
  let def = convert(all[name]);
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') def = { oneOf: [{ type: 'string' }, { type: 'number' }] };
  const gvk = KINDS[name];
  if (gvk) {
    def.properties.apiVersion = { type: 'string', enum: [gvk.apiVersion] };
    def.properties.kind = { type: 'string', enum: [gvk.kind] };
    def.required = [...new Set([...(def.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  }
  definitions[name] = def;
}

process.stdout.write(
  `${JSON.stringify(
    {
      $comment: `Kubernetes ${swagger.info.version} definitions for ${Object.values(KINDS)
        .map((k) => `${k.apiVersion} ${k.kind}`)
        .join(', ')}, strict; built by deploy/schemas/extract.mjs from kubernetes-client@9.0.0 lib/specs/swagger-1.13.json.gz`,
      definitions,
    },
    null,
    1,
  )}\n`,
);
