import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
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
 * @returns the validated config (durations in ms).
 * @throws ConfigError with every problem (YAML syntax or schema), each with file, key path, line and reason.
 */
export function parseWorkspaceConfig(text: string, file: string): WorkspaceConfig {
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
  const raw: unknown = doc.toJS() ?? {};
  const parsed = workspaceSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      const located = locate(doc, path);
      const pos = located?.range ? lineCounter.linePos(located.range[0]) : undefined;
      const value = located && isNode(located) ? (located as { toJSON(): unknown }).toJSON() : undefined;
      const got = isPrimitive(value) && !issue.message.includes('got') ? ` (got ${JSON.stringify(value)})` : '';
      const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
      return { file, path: path.join('.'), line: pos?.line, col: pos?.col, message: `${message}${got}` };
    }),
  );
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
 * Reads and validates the config file at `path`.
 * @throws ConfigError when the file is missing, unreadable or invalid.
 */
export function loadWorkspaceConfig(path: string): WorkspaceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found (set PREFLIGHT_CONFIG or create it from examples/)' : `cannot read file (${code ?? String(err)})`;
    throw new ConfigError([{ file: path, path: '', message: reason }]);
  }
  return parseWorkspaceConfig(text, path);
}
