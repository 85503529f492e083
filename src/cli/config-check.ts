/**
 * `npm run config:check -- [--preview] <file> [<file> ...]`: validates preflight.yml files and prints every problem
 * with its file, line and key path. With `--preview`, each valid file is followed by what Preflight would do in the
 * next 3 days (program-local, from today; from the config alone), so a typo in an `at` shows at once.
 * Exit code 0 when all are valid, 1 otherwise.
 *
 * `npm run config:check -- --plan new.yml`: validates new.yml and prints what it would change in the next 3 days
 * compared with the plan the running bot applied last (Postgres at DATABASE_URL; the current file without one):
 * `npm run plan`'s comparison (src/cli/plan/run.ts), issue 20 "Plan before apply". Exit code 0 valid, 1 invalid.
 */
import { DateTime } from 'luxon';
import { loadDotEnv } from '../config/dotenv.js';
import { ConfigError, loadWorkspaceConfig } from '../config/load.js';
import { emailKey, emailRefs } from '../config/user-refs.js';
import { runPlanCommand } from './plan/run.js';
import { programToday, renderPreview } from './preview/run.js';

loadDotEnv(); // for PREFLIGHT_CONFIG and DATABASE_URL, as npm start reads them

const args = process.argv.slice(2);
const planAt = args.indexOf('--plan');
if (planAt >= 0) {
  const file = args[planAt + 1];
  const rest = args.filter((_, i) => i !== planAt && i !== planAt + 1);
  if (!file || file.startsWith('--') || rest.length > 0) {
    console.error('Usage: npm run config:check -- --plan new.yml   (more options: npm run plan -- --help)');
    process.exit(2);
  }
  const run = await runPlanCommand(['--config', file], process.env, DateTime.utc());
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exit(run.code);
}
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
