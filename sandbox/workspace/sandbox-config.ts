import { readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { ConfigError, parseWorkspaceConfig } from '../../src/config/load.js';
import type { WorkspaceConfig } from '../../src/config/workspace.js';
import { type MovedSchedule, moveOntoToday } from './onto-today.js';
import { compressTime } from './speed.js';
import { addTrackerSources } from './trackers.js';

/**
 * Reads a preflight.yml for the sandbox, moves its dates onto today (onto-today.ts) and applies `--speed`
 * (speed.ts: durations; onto-today.ts: times of day).
 * @param path the file (`examples/<name>.preflight.yml` for `--example <name>`).
 * @param speed N ≥ 1; 1 keeps durations and times of day as written (dates still move onto today).
 * @param nowMs the sandbox's clock at start, epoch ms: the example's first day becomes its date (program zone).
 * @param opts.trackers adds a `tasks_from` source per tracker (Jira, Linear, GitHub; workspace/trackers.ts) to the
 *   first workstreams, read from the sandbox's tracker stand-in.
 * @returns the YAML text to give Preflight, the validated config it stands for, and what moved. A config that
 *   names no date, at speed 1, without trackers, is given to Preflight as written.
 * @throws ConfigError naming the file, key path and reason when the file (or its moved form) is invalid.
 */
export function sandboxConfig(path: string, speed: number, nowMs: number, opts: { trackers?: boolean } = {}): { yaml: string; config: WorkspaceConfig; moved: MovedSchedule } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file: path, path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code})` }]);
  }
  const config = parseWorkspaceConfig(text, path); // the file as written must be valid first (line numbers point into it)
  const raw = parseDocument(text).toJS() as Record<string, any>;
  if (speed > 1) compressTime(raw, speed);
  const moved = moveOntoToday(raw, speed, nowMs);
  if (opts.trackers) addTrackerSources(raw);
  if (speed === 1 && !moved.dates && !opts.trackers) return { yaml: text, config, moved };
  const what = [moved.dates ? `its dates moved onto ${moved.dates.today}` : '', speed > 1 ? `--speed ${speed}` : '', opts.trackers ? 'tasks from the tracker stand-in' : ''].filter(Boolean).join(', ');
  const label = `${path} (${what})`;
  const yaml = `# ${label}: sandbox/workspace/onto-today.ts, speed.ts, trackers.ts\n${stringify(raw)}`;
  return { yaml, config: parseWorkspaceConfig(yaml, label), moved };
}
