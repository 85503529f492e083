import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Program } from '../../domain/program/program.js';

/** Hex digits a plan version keeps of the hash. */
export const PLAN_VERSION_LENGTH = 12;

/**
 * The version of a resolved plan: sha256 of its canonical JSON (keys sorted at every depth, safe-stable-stringify),
 * first {@link PLAN_VERSION_LENGTH} hex digits. Two plans that resolve to the same value have the same version,
 * whatever the key order, comments or formatting of their files.
 * @param program the resolved, deep-frozen plan (src/config/resolve.ts), made of plain objects and arrays.
 */
export function planVersion(program: Program): string {
  return createHash('sha256')
    .update(stringify(program) ?? '')
    .digest('hex')
    .slice(0, PLAN_VERSION_LENGTH);
}
