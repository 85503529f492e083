/**
 * `npm run db:migrate`: creates the database named in DATABASE_URL if it is missing, then applies
 * migrations/. Reads `.env` like `npm start` (variables already set win). Exit code 1 with the reason on failure.
 */
import { loadDotEnv } from '../config/dotenv.js';
import { ensureDatabase, runMigrations } from './migrate.js';

loadDotEnv();

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('db:migrate: DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/preflight)');
  process.exit(1);
}
try {
  if (await ensureDatabase(url)) console.log(`db:migrate: created database ${new URL(url).pathname.slice(1)}`);
  await runMigrations(url);
  console.log('db:migrate: migrations applied');
} catch (err) {
  console.error(`db:migrate: ${(err as Error).message}`);
  process.exit(1);
}
