/**
 * `npm run export -- --what checkins|answers|blockers|tasks|gates|decisions|overrides [--from 2026-11-01] [--to 2026-11-30]
 *  [--format csv|json] [--bom] [--out file]`: streams the records to stdout (or `--out`), progress on stderr.
 * Reads DATABASE_URL and PREFLIGHT_CONFIG (for the program's time zone, gate names and the declared tasks) from the environment or `.env`.
 * Exit codes: 0 done, 2 bad arguments or config, 1 the export failed.
 */
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../config/dotenv.js';
import { envSchema } from '../config/env.js';
import { ConfigError, loadWorkspaceConfig } from '../config/load.js';
import { resolveProgram } from '../config/resolve.js';
import { openDatabase } from '../db/client.js';
import type { Program } from '../domain/program/program.js';
import { dateRange, DateRangeError } from '../domain/records/range.js';
import { streamRecords } from '../services/records/read.js';
import { RECORD_KINDS, type RecordKind } from '../services/records/schemas.js';
import { formatter, type ExportFormat } from './export-format.js';

const USAGE = `Usage: npm run export -- --what ${RECORD_KINDS.join('|')} [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format csv|json] [--bom] [--out FILE]
  --from/--to  inclusive days in the program's time zone (program.timezone); either may be left out
  --format     csv (default; RFC 4180: header row, CRLF line ends, cells that would run as a formula start with ')
               or json (NDJSON: one record per line, text as stored)
  --bom        CSV only: start with the UTF-8 byte order mark, for Excel on Windows
  --out        a file to write; stdout when left out. Progress goes to stderr.`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}\n`);
  process.exit(2);
}

/** Counts records on their way through and reports on stderr every `everyMs` (and once at the end). */
function progress(kind: RecordKind, everyMs = 2_000) {
  let rows = 0;
  const started = Date.now();
  const line = () => `${kind}: ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  const timer = setInterval(() => process.stderr.write(`${line()}…\n`), everyMs);
  timer.unref();
  return {
    counter: new Transform({
      objectMode: true,
      transform(record, _enc, done) {
        rows++;
        done(null, record);
      },
    }),
    done: () => {
      clearInterval(timer);
      process.stderr.write(`${line()}, done\n`);
    },
    stop: () => clearInterval(timer),
  };
}

loadDotEnv();

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      what: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      bom: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
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
const what = values.what as string | undefined;
if (!what) usage('--what is required.');
if (!(RECORD_KINDS as string[]).includes(what)) usage(`--what must be one of ${RECORD_KINDS.join(', ')} (got "${what}").`);
const kind = what as RecordKind;
const format = values.format as string;
if (format !== 'csv' && format !== 'json') usage(`--format must be csv or json (got "${format}").`);
if (values.bom && format !== 'csv') usage('--bom is for CSV only (a byte order mark would break NDJSON readers); leave it out with --format json.');

const env = envSchema.pick({ DATABASE_URL: true, PREFLIGHT_CONFIG: true }).safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
if (!env.success) usage(`Cannot export: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Set it in the environment or .env.`);
let config: Program;
try {
  config = resolveProgram(loadWorkspaceConfig(env.data.PREFLIGHT_CONFIG));
} catch (err) {
  if (err instanceof ConfigError) usage(`Cannot export: ${env.data.PREFLIGHT_CONFIG} has problems:\n${err.message}`);
  usage(`Cannot export: cannot read ${env.data.PREFLIGHT_CONFIG} (${(err as Error).message}); set PREFLIGHT_CONFIG.`);
}
let range: ReturnType<typeof dateRange>;
try {
  range = dateRange(values.from as string | undefined, values.to as string | undefined, config.program.timezone);
} catch (err) {
  if (err instanceof DateRangeError) usage(`--${err.message}.`);
  throw err;
}

const database = openDatabase(env.data.DATABASE_URL, () => {}, 1);
const meter = progress(kind);
try {
  const records = await streamRecords({ db: database.db, config }, kind, range);
  const out = values.out ? createWriteStream(values.out as string) : process.stdout;
  await pipeline(records, meter.counter, formatter(kind, format as ExportFormat, { bom: values.bom === true }), out);
  meter.done();
  await database.pool.end();
} catch (err) {
  meter.stop();
  const e = err as NodeJS.ErrnoException;
  // a closed pipe (`| head`) is the reader's choice, not a failure
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_PREMATURE_CLOSE') process.exit(0);
  process.stderr.write(`Export failed: ${e.message}\n`);
  process.exit(1);
}
