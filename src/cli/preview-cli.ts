/**
 * `npm run preview -- [--config preflight.yml] [--from 2026-12-01] [--days 14] [--ws <id>] [--person <id or email>]
 * [--format table|json|ics]`: prints every event Preflight would produce in that span (see docs/preview.md, "Preview before you
 * deploy"). Reads `.env` like `npm start`; uses DATABASE_URL for the live state when it answers.
 * Exit codes: 0 printed; 1 the config is invalid; 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { loadDotEnv } from '../config/dotenv.js';
import { ConfigError, loadWorkspaceConfig } from '../config/load.js';
import { emailKey, emailRefs } from '../config/user-refs.js';
import { resolvePerson } from '../services/preview/person.js';
import { liveStateOrReason, PREVIEW_FORMATS, programToday, renderPreview, type PreviewFormat } from './preview/run.js';

const USAGE = `Usage: npm run preview -- [--config preflight.yml] [--from YYYY-MM-DD] [--days 14] [--ws <workstream id>]
                          [--person <user ID or email>] [--format table|json|ics]
  --config   the config file (default: $PREFLIGHT_CONFIG, else ./preflight.yml)
  --from     the first program-local day (default: today in program.timezone)
  --days     how many days, 1 to 366 (default: 14)
  --ws       only this workstream's check-ins and the gates that unblock it
  --person   only what this person gets (an email needs SLACK_BOT_TOKEN with users:read.email)
  --format   table (default), json, or ics (one calendar event per check-in; redirect to a file: > checkins.ics)`;

function usage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

loadDotEnv();
let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      config: { type: 'string' },
      from: { type: 'string' },
      days: { type: 'string', default: '14' },
      ws: { type: 'string' },
      person: { type: 'string' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  usage((err as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const file = (values.config as string | undefined) ?? (process.env.PREFLIGHT_CONFIG || './preflight.yml');
const format = values.format as string;
if (!(PREVIEW_FORMATS as readonly string[]).includes(format)) usage(`--format ${format}: expected one of ${PREVIEW_FORMATS.join(', ')}`);
const days = Number(values.days);
if (!Number.isInteger(days) || days < 1 || days > 366) usage(`--days ${values.days}: expected a whole number of days from 1 to 366`);
const fromArg = values.from as string | undefined;
if (fromArg !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(fromArg) || !DateTime.fromISO(fromArg).isValid)) usage(`--from ${fromArg}: expected a date such as 2026-12-01`);

let config: ReturnType<typeof loadWorkspaceConfig>;
try {
  config = loadWorkspaceConfig(file);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`${file}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}\n${err.message}`);
  process.exit(1);
}
const ws = values.ws as string | undefined;
if (ws !== undefined && !(ws in config.workstreams)) usage(`--ws ${ws}: no such workstream in ${file} (workstreams: ${Object.keys(config.workstreams).join(', ')})`);
const now = DateTime.utc();
const { live, source, config: resolved } = await liveStateOrReason(config, process.env.DATABASE_URL, file);
let userId: string | undefined;
if (values.person !== undefined) {
  const person = values.person as string;
  // a person the config names by email: the ID it resolved to (or the address as written when not resolved yet)
  const named = emailRefs(config).find((r) => emailKey(r.email) === emailKey(person));
  const token = process.env.SLACK_BOT_TOKEN;
  try {
    userId = named
      ? ((valueAt(resolved, named.path) as string | undefined) ?? named.email)
      : await resolvePerson(person, token ? new WebClient(token, { slackApiUrl: process.env.SLACK_API_URL || undefined }) : null);
  } catch (err) {
    usage((err as Error).message);
  }
}
process.stdout.write(
  `${renderPreview(resolved, live, source, { fromDate: fromArg ?? programToday(resolved, now), days, format: format as PreviewFormat, filter: { workstreamId: ws, userId }, now })}\n`,
);

/** The value at a key path of the (resolved) config. */
function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
}
