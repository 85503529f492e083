import { readFileSync } from 'node:fs';
import { openDatabase } from '../../db/client.js';
import { activeOverrides } from '../../services/plan/overrides.js';
import { overridesAsYamlPatch } from './overrides-yaml.js';

/** Why `npm run plan -- --overrides` printed no patch: the setup or file problem, for stderr (exit code 1). */
export class OverridesPatchError extends Error {}

/**
 * `npm run plan -- --overrides`: the overrides made from Slack that are in force (`plan_overrides`, issue 20 "Replan
 * from Slack"), written into the current preflight.yml as a unified diff to review and commit
 * (cli/plan/overrides-yaml.ts). Once committed, the next reload finds the file saying the same and the overrides stay
 * harmless (the file now holds their values); a later change of the same field in the file wins as usual.
 * @param file the current preflight.yml ($PREFLIGHT_CONFIG, else ./preflight.yml).
 * @param databaseUrl DATABASE_URL: where the overrides are kept.
 * @returns the patch, or a line saying there is nothing to commit.
 * @throws OverridesPatchError when DATABASE_URL is not set, the database cannot be read or the file cannot be read.
 */
export async function overridesPatch(file: string, databaseUrl: string | undefined): Promise<string> {
  if (!databaseUrl) throw new OverridesPatchError('--overrides needs DATABASE_URL: the overrides made from Slack are kept in Postgres. Set it as for `npm start` (or in .env).');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OverridesPatchError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set PREFLIGHT_CONFIG to the file the bot runs.`);
  }
  const database = openDatabase(databaseUrl, () => {}, 1);
  try {
    const overrides = await activeOverrides(database.db).catch((err: Error & { cause?: unknown }) => {
      const reason = (err.cause instanceof Error ? err.cause : err).message.split('\n')[0];
      throw new OverridesPatchError(`The overrides could not be read from the database at DATABASE_URL (${reason}).`);
    });
    const patch = overridesAsYamlPatch(overrides, text, file);
    if (patch) return patch.trimEnd();
    return overrides.length ? `No patch: ${file} already says what the ${overrides.length} override(s) in force say.` : `No overrides in force: ${file} says what the plan runs.`;
  } finally {
    await database.pool.end().catch(() => {});
  }
}
