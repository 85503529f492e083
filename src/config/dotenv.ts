import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory into `process.env` when the file exists (Node's
 * `process.loadEnvFile`, present in every supported Node); variables already set in the environment win. `npm start`,
 * `npm run db:migrate` and `npm run config:check` all call it, so the quick start's `cp .env.example .env`
 * is all the setup they need.
 * @returns whether a `.env` was read.
 */
export function loadDotEnv(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}
