/**
 * `npm run retro -- [--from 2026-11-13] [--to 2026-11-15] [--format md|json] [--at instant] [--out file]`: the launch's
 * retrospective drafted from the record (issue 23; domain/retro), as Markdown (default) or the model as JSON.
 * Reads DATABASE_URL and PREFLIGHT_CONFIG (the program's name, zone, workstreams, gates and tasks) from the
 * environment or `.env`. Without --from / --to it covers everything recorded: the whole launch.
 * Exit codes: 0 done, 2 bad arguments or config, 1 the retro failed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../config/dotenv.js';
import { envSchema } from '../config/env.js';
import { ConfigError, loadWorkspaceConfig } from '../config/load.js';
import { resolveProgram } from '../config/resolve.js';
import { openDatabase } from '../db/client.js';
import type { Program } from '../domain/program/program.js';
import { dateRange, DateRangeError } from '../domain/records/range.js';
import { retroMarkdown } from '../domain/retro/markdown.js';
import { buildRetro } from '../domain/retro/retro.js';
import { retroAnswers } from '../services/retro/checkin.js';
import { readRetroInput } from '../services/retro/read.js';

const USAGE = `Usage: npm run retro -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format md|json] [--at INSTANT] [--out FILE]
  --from/--to  inclusive days in the program's time zone (program.timezone); leave both out for the whole launch
  --format     md (default: the retrospective as Markdown) or json (the retro's model, times in Unix ms)
  --at         an ISO 8601 instant (2026-11-13T15:00:00Z): the instant the retro is drafted at (open blockers and
               late tasks measured until it); default now
  --out        a file to write; stdout when left out`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

loadDotEnv();

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'md' }, at: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  usage((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const format = values.format as string;
if (format !== 'md' && format !== 'json') usage(`--format must be md or json (got "${format}").`);

const at = values.at === undefined ? Date.now() : Date.parse(values.at as string);
if (Number.isNaN(at) || (values.at !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.at as string))) {
  usage(`--at must be an ISO 8601 instant with its offset, such as 2026-11-13T15:00:00Z (got "${values.at}").`);
}

const env = envSchema.pick({ DATABASE_URL: true, PREFLIGHT_CONFIG: true }).safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
if (!env.success) usage(`Cannot draft the retro: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Set it in the environment or .env.`);
let config: Program;
try {
  config = resolveProgram(loadWorkspaceConfig(env.data.PREFLIGHT_CONFIG));
} catch (err) {
  if (err instanceof ConfigError) usage(`Cannot draft the retro: ${env.data.PREFLIGHT_CONFIG} has problems:\n${err.message}`);
  usage(`Cannot draft the retro: cannot read ${env.data.PREFLIGHT_CONFIG} (${(err as Error).message}); set PREFLIGHT_CONFIG.`);
}
let range: ReturnType<typeof dateRange>;
try {
  range = dateRange(values.from as string | undefined, values.to as string | undefined, config.program.timezone);
} catch (err) {
  if (err instanceof DateRangeError) usage(`--${err.message}.`);
  throw err;
}

const database = openDatabase(env.data.DATABASE_URL, () => {}, 1);
try {
  const model = buildRetro(await readRetroInput({ db: database.db, config }, range, at, await retroAnswers({ db: database.db })));
  const text = format === 'md' ? retroMarkdown(model) : `${JSON.stringify(model, (_k, v) => (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? null : v), 2)}\n`;
  if (values.out) writeFileSync(values.out as string, text);
  else process.stdout.write(text);
  await database.pool.end();
} catch (err) {
  process.stderr.write(`Retro failed: ${(err as Error).message}\n`);
  process.exit(1);
}
