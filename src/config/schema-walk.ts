import type { z } from 'zod';

/*
 * Walking a zod 4 schema alongside a value, for what the schema alone knows: which positions hold a person
 * (user-refs.ts) and which keys an object accepts (did-you-mean in load.ts). Handles objects, records, arrays,
 * tuples, unions, intersections, lazy schemas and the wrappers (optional, default, nullable, prefault, readonly,
 * catch, non-optional); a pipe is entered on its output side for parsed values (its input side when the output
 * is a transform) and its input side for raw ones.
 */

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  items?: AnySchema[];
  options?: AnySchema[];
  left?: AnySchema;
  right?: AnySchema;
  valueType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  getter?: () => AnySchema;
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch', 'nonoptional']);

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under wrappers, lazies and pipes. @param side `output` enters a pipe's `out`, `input` its `in`. */
export function unwrap(schema: AnySchema, side: 'input' | 'output'): AnySchema {
  for (;;) {
    const def = defOf(schema);
    if (WRAPPERS.has(def.type) && def.innerType) schema = def.innerType;
    else if (def.type === 'lazy' && def.getter) schema = def.getter();
    else if (def.type === 'pipe' && def.in && def.out) schema = side === 'input' ? def.in : def.out;
    else return schema;
  }
}

/**
 * Rebuilds `value` with every leaf whose schema is `target` (by identity, under any wrappers) replaced by
 * `replace(leaf, path)`; other parts are copied as they are. `value` is the parsed (output) value of `schema`.
 * @param path key path of `value` from the root, for `replace`.
 */
export function mapLeaves(schema: AnySchema, target: AnySchema, value: unknown, replace: (leaf: unknown, path: (string | number)[]) => unknown, path: (string | number)[] = []): unknown {
  if (schema === target) return replace(value, path);
  const def = defOf(schema);
  // one layer at a time: the target may itself be wrapped (userIdSchema.optional())
  if (WRAPPERS.has(def.type) && def.innerType) return mapLeaves(def.innerType, target, value, replace, path);
  if (def.type === 'lazy' && def.getter) return mapLeaves(def.getter(), target, value, replace, path);
  if (def.type === 'pipe' && def.out) {
    // a transform's output has no schema to follow: walk its input side, whose shape the parsed value keeps where
    // it matters (a gate's `sign_off` is parsed from `[U…]` / `{ any_of }` / `{ all_of }` into the list itself)
    const side = defOf(def.out).type === 'transform' && def.in ? def.in : def.out;
    return mapLeaves(side, target, value, replace, path);
  }
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = { ...value };
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        if (key in value) out[key] = mapLeaves(child, target, value[key], replace, [...path, key]);
      }
      return out;
    }
    case 'record': {
      if (!isPlainObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(def.valueType!, target, v, replace, [...path, k])]));
    }
    case 'array':
      return Array.isArray(value) ? value.map((v, i) => mapLeaves(def.element!, target, v, replace, [...path, i])) : value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => (def.items?.[i] ? mapLeaves(def.items[i], target, v, replace, [...path, i]) : v)) : value;
    case 'union': {
      // the value matched one option; the others leave it as it is unless they have the same shape, where
      // replacing twice is harmless (replace is applied to the leaf as found)
      const options = def.options ?? [];
      const direct = options.find((o) => o === target || unwrap(o, 'output') === target);
      if (direct && typeof value === 'string') return mapLeaves(direct, target, value, replace, path);
      let v = value;
      for (const option of options) if (option !== direct) v = mapLeaves(option, target, v, replace, path);
      return v;
    }
    case 'intersection':
      return mapLeaves(def.right!, target, mapLeaves(def.left!, target, value, replace, path), replace, path);
    default:
      return value;
  }
}

/**
 * The keys an object at `path` accepts, following the schema (records: any key; arrays: any index; unions: the
 * object options). Undefined when the schema there is not an object.
 */
export function objectKeysAt(schema: AnySchema, path: readonly (string | number)[]): string[] | undefined {
  const found = objectSchemasAt(schema, path);
  if (found.length === 0) return undefined;
  return [...new Set(found.flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}

function objectSchemasAt(schema: AnySchema, path: readonly (string | number)[]): AnySchema[] {
  const s = unwrap(schema, 'input');
  const def = defOf(s);
  if (def.type === 'union') return (def.options ?? []).flatMap((o) => objectSchemasAt(o, path));
  if (def.type === 'intersection') return [...objectSchemasAt(def.left!, path), ...objectSchemasAt(def.right!, path)];
  if (path.length === 0) return def.type === 'object' ? [s] : [];
  const [head, ...rest] = path;
  switch (def.type) {
    case 'object': {
      const child = def.shape?.[String(head)];
      return child ? objectSchemasAt(child, rest) : [];
    }
    case 'record':
      return objectSchemasAt(def.valueType!, rest);
    case 'array':
      return objectSchemasAt(def.element!, rest);
    case 'tuple': {
      const item = def.items?.[Number(head)];
      return item ? objectSchemasAt(item, rest) : [];
    }
    default:
      return [];
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
