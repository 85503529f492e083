/**
 * `npm run config:check -- [--preview] <file> [<file> ...]`: validates preflight.yml files and prints every problem
 * with its file, line and key path. With `--preview`, each valid file is followed by what Preflight would do in the
 * next 3 days (program-local, from today; from the config alone), so a typo in an `at` shows at once.
 * Exit code 0 when all are valid, 1 otherwise.
 */
import { DateTime } from 'luxon';
import { loadDotEnv } from '../config/dotenv.js';
import { ConfigError, loadWorkspaceConfig } from '../config/load.js';
import { emailKey, emailRefs } from '../config/user-refs.js';
import { programToday, renderPreview } from './preview/run.js';

loadDotEnv(); // for PREFLIGHT_CONFIG, as npm start reads it

const args = process.argv.slice(2);
const preview = args.includes('--preview');
const files = args.filter((a) => a !== '--preview');
if (files.length === 0) files.push(process.env.PREFLIGHT_CONFIG || './preflight.yml');
let failed = 0;
for (const file of files) {
  try {
    const cfg = loadWorkspaceConfig(file);
    const ws = Object.keys(cfg.workstreams).length;
    const members = Object.values(cfg.workstreams).reduce((n, w) => n + w.members.length, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    // emails can only be checked against Slack: Preflight looks them up when it starts
    const emails = new Set(emailRefs(cfg).map((r) => emailKey(r.email))).size;
    const byEmail = emails ? `; ${emails === 1 ? '1 person' : `${emails} people`} by email, looked up in Slack when Preflight starts` : '';
    console.log(`${file}: OK (${plural(ws, 'workstream')}, ${plural(members, 'member')}, ${plural(cfg.gates.length, 'gate')}${byEmail})`);
    if (preview) {
      const now = DateTime.utc();
      const source = 'Previewing from the config alone (config:check reads no database); `npm run preview` shows more.';
      console.log(`\n${renderPreview(cfg, null, source, { fromDate: programToday(cfg, now), days: 3, format: 'table', now })}`);
    }
  } catch (err) {
    failed++;
    if (err instanceof ConfigError) {
      console.error(`${file}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}`);
      console.error(err.message);
    } else throw err;
  }
}
process.exit(failed ? 1 : 0);
