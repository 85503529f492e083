import { readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { ConfigError, parseWorkspaceConfig } from '../../src/config/load.js';
import type { WorkspaceConfig } from '../../src/config/workspace.js';
import { compressTime } from './speed.js';

/**
 * Reads a preflight.yml for the sandbox and applies `--speed` (speed.ts) to it.
 * @param path the file (`examples/<name>.preflight.yml` for `--example <name>`).
 * @param speed 1 leaves times as written.
 * @param nowMs epoch ms the compressed day starts from.
 * @returns the YAML text to give Preflight and the validated config it stands for.
 * @throws ConfigError naming the file, key path and reason when the file (or its compressed form) is invalid.
 */
export function sandboxConfig(path: string, speed: number, nowMs: number): { yaml: string; config: WorkspaceConfig } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file: path, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code})` }]);
  }
  const config = parseWorkspaceConfig(text, path); // the file as written must be valid first (line numbers point into it)
  if (speed === 1) return { yaml: text, config };
  const raw = compressTime(parseDocument(text).toJS() as Record<string, any>, speed, nowMs);
  const yaml = `# ${path} with --speed ${speed} (sandbox/workspace/speed.ts)\n${stringify(raw)}`;
  return { yaml, config: parseWorkspaceConfig(yaml, `${path} at --speed ${speed}`) };
}
