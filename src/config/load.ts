import { readFileSync } from 'node:fs';
import { closest, distance } from 'fastest-levenshtein';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { objectKeysAt } from './schema-walk.js';
import { workspaceSchema, type WorkspaceConfig } from './workspace.js';

/** One problem found in a config file, located as precisely as the YAML allows. */
export interface ConfigProblem {
  file: string;
  /** Dotted key path, e.g. `workstreams.ws1.standup.at`; empty for file-level problems. */
  path: string;
  /** 1-based line and column of the offending value, when known. */
  line?: number;
  col?: number;
  message: string;
}

/** Thrown by {@link loadWorkspaceConfig}. Its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `preflight.yml:12:7 workstreams.ws1.standup.at: expected a 24-hour local time such as "10:00" (got "25:00")` */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return `${where} ${p.path || '(top level)'}: ${p.message}`;
}

/**
 * Parses and validates `preflight.yml` text.
 * @param text YAML source; @param file the name to report in problems.
 * @param patch changes the raw document (what YAML parsed, plain objects) before validation, so the schema judges
 *   the result: the Slack overrides (config/overrides.ts `applyOverrides`, issue 20). Problems inside what it added
 *   are located at the nearest line of the file.
 * @returns the validated config (durations in ms).
 * @throws ConfigError with every problem (YAML syntax or schema), each with file, key path, line and reason.
 */
export function parseWorkspaceConfig(text: string, file: string, patch?: (raw: unknown) => unknown): WorkspaceConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { file, path: '', line: pos?.line, col: pos?.col, message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const raw: unknown = patch ? patch(doc.toJS() ?? {}) : (doc.toJS() ?? {});
  const parsed = workspaceSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    byLine(
      parsed.error.issues.flatMap((issue): ConfigProblem[] => {
        const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
        if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKeyProblem(doc, lineCounter, file, path, key));
        const located = locate(doc, path);
        const pos = located?.range ? lineCounter.linePos(located.range[0]) : undefined;
        const value = located && isNode(located) ? (located as { toJSON(): unknown }).toJSON() : undefined;
        const exact = located === doc.getIn(path, true) && located !== undefined;
        const missing = !exact && issue.code === 'invalid_type' && doc.getIn(path) === undefined;
        const plain = exact ? plainWording(issue, value) : missing ? `required, but missing (${issue.message})` : undefined;
        const got = !plain && isPrimitive(value) && exact && !issue.message.includes('got') ? ` (got ${JSON.stringify(value)})` : '';
        return [{ file, path: path.join('.'), line: pos?.line, col: pos?.col, message: `${plain ?? issue.message}${got}` }];
      }),
    ),
  );
}

/** Problems in file order (those without a line last), so the list reads top to bottom like the file. */
function byLine(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.col ?? 0) - (b.p.col ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Common mistakes, said plainly (undefined: the schema's own message says it well enough).
 * @param value the YAML value at the issue's path.
 */
function plainWording(issue: z.core.$ZodIssue, value: unknown): string | undefined {
  // `members: U01, U02` or `members: U01` is one string where YAML needs a list
  if (issue.code === 'invalid_type' && issue.expected === 'array' && typeof value === 'string') {
    const items = value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((v) => (/^[\w.@+-]+$/.test(v) ? v : JSON.stringify(v)));
    return `expected a list, got the single string ${JSON.stringify(value)}: write it as [${items.join(', ')}] or one "- item" per line`;
  }
  if (typeof value === 'string' && /^@\S+$/.test(value) && issue.message.includes('Slack user ID')) {
    return `${JSON.stringify(value)} is a display name, not a Slack user ID: use the member ID (profile → ⋮ → "Copy member ID", U…) or their email address`;
  }
  if (typeof value === 'number' && issue.message.includes('duration')) {
    return `${value} has no unit: write "${value}m" for minutes (units: s, m, h, d)`;
  }
  return undefined;
}

/**
 * An unknown key, reported at its own line with the closest known key when one is near enough
 * (Levenshtein distance at most 2, or a third of the key's length): `unknown key "remind_afer": did you mean "remind_after"?`
 */
function unknownKeyProblem(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, file: string, parentPath: (string | number)[], key: string): ConfigProblem {
  const parent = doc.getIn(parentPath, true);
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key) : undefined;
  const range = (pair && isNode(pair.key) ? pair.key.range : undefined) ?? (isNode(parent) ? parent.range : undefined);
  const pos = range ? lineCounter.linePos(range[0]) : undefined;
  const known = objectKeysAt(workspaceSchema, parentPath) ?? [];
  const best = known.length ? closest(key, known) : undefined;
  const near = best !== undefined && distance(key, best) <= Math.max(2, Math.floor(key.length / 3));
  const hint = near ? `: did you mean "${best}"?` : known.length ? ` (known keys here: ${known.join(', ')})` : '';
  return { file, path: [...parentPath, key].join('.'), line: pos?.line, col: pos?.col, message: `unknown key "${key}"${hint}` };
}

/**
 * The 1-based line and column of the value at `path` in a config file (or of its deepest existing parent), for
 * problems found after parsing (e.g. an email Slack does not know). Undefined when the file cannot be read.
 */
export function locateInFile(file: string, path: (string | number)[]): { line: number; col: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node = locate(doc, path);
  return node?.range ? lineCounter.linePos(node.range[0]) : undefined;
}

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The deepest YAML node that exists along `path` (so a missing key points at its parent). */
function locate(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): { range?: [number, number, number] | null } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return node as { range?: [number, number, number] | null };
  }
  return undefined;
}

/**
 * Reads the config file at `path` as text.
 * @throws ConfigError when the file is missing or unreadable (the problem names the file and what to do).
 */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found (set PREFLIGHT_CONFIG or create it from examples/)' : `cannot read file (${code ?? String(err)})`;
    throw new ConfigError([{ file: path, path: '', message: reason }]);
  }
}

/**
 * Reads and validates the config file at `path`.
 * @param patch see {@link parseWorkspaceConfig}.
 * @throws ConfigError when the file is missing, unreadable or invalid.
 */
export function loadWorkspaceConfig(path: string, patch?: (raw: unknown) => unknown): WorkspaceConfig {
  return parseWorkspaceConfig(readConfigText(path), path, patch);
}
