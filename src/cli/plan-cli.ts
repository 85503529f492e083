/**
 * `npm run plan -- --config new.yml [--days 3] [--from YYYY-MM-DD] [--format table|json]`: what a new preflight.yml
 * would change compared with the plan the bot runs (issue 20, "Plan before apply"; docs/preview.md). Reads `.env`
 * like `npm start`: the running plan is the latest recorded in Postgres (DATABASE_URL), else the current file
 * (PREFLIGHT_CONFIG, else ./preflight.yml). Exit codes: 0 printed; 1 a file is invalid; 2 bad arguments.
 */
import { DateTime } from 'luxon';
import { loadDotEnv } from '../config/dotenv.js';
import { runPlanCommand } from './plan/run.js';

loadDotEnv();
const run = await runPlanCommand(process.argv.slice(2), process.env, DateTime.utc());
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
process.exitCode = run.code;
