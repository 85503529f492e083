/**
 * Summarises a .heapsnapshot (from bench/heap-snapshot-preload.cjs): total self size, self size by node type
 * (code, strings, objects, closures…), the constructors and the scripts (by package) holding the most.
 *   npx tsx bench/heap-snapshot-summary.ts /tmp/heap/1234-20000.heapsnapshot [--top 20]
 * Sizes are V8 heap only (what `process.memoryUsage().heapUsed` counts); RSS also holds code pages,
 * Buffers outside the heap, and free space V8 keeps.
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: heap-snapshot-summary.ts <file.heapsnapshot> [--top N]');
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 20;
const snap = JSON.parse(readFileSync(file, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const F = fields.length;
const iType = fields.indexOf('type');
const iName = fields.indexOf('name');
const iSize = fields.indexOf('self_size');
const byType = new Map<string, number>();
const byCtor = new Map<string, { size: number; count: number }>();
const byPackage = new Map<string, number>();
let total = 0;
const pkgOf = (name: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
  if (m) return m[1]!;
  if (name.startsWith('node:')) return 'node:*';
  if (/\/(dist|src)\//.test(name)) return 'preflight';
  return null;
};
for (let i = 0; i < snap.nodes.length; i += F) {
  const type = types[snap.nodes[i + iType]!]!;
  const name = snap.strings[snap.nodes[i + iName]!]!;
  const size = snap.nodes[i + iSize]!;
  total += size;
  byType.set(type, (byType.get(type) ?? 0) + size);
  if (type === 'object' || type === 'closure' || type === 'array') {
    const k = `${type} ${name.slice(0, 60)}`;
    const e = byCtor.get(k) ?? { size: 0, count: 0 };
    e.size += size;
    e.count += 1;
    byCtor.set(k, e);
  }
  // compiled code and script sources name their script: attribute them to a package
  if (type === 'code' || type === 'string' || type === 'hidden') {
    const pkg = pkgOf(name);
    if (pkg) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + size);
  }
}
const mb = (b: number) => (b / 1_048_576).toFixed(2).padStart(7);
console.log(`${file}: ${mb(total)} MB self size in ${snap.nodes.length / F} nodes`);
console.log('\nby node type');
for (const [t, s] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`${mb(s)} MB  ${t}`);
console.log(`\ntop ${top} constructors (objects, closures, arrays)`);
for (const [k, e] of [...byCtor].sort((a, b) => b[1].size - a[1].size).slice(0, top)) console.log(`${mb(e.size)} MB  ${String(e.count).padStart(8)}  ${k}`);
console.log(`\ncode and sources named after a script, by package (top ${top})`);
for (const [k, s] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${mb(s)} MB  ${k}`);
