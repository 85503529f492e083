import ms from 'ms';
import { z } from 'zod';

const DURATION = /^(\d+)\s*(s|m|h|d)$/;

/**
 * A duration in `preflight.yml`: an integer followed by `s`, `m`, `h` or `d` ("90s", "30m", "2h", "1d").
 * Parsed with the `ms` library into **milliseconds**.
 */
export const durationSchema = z
  .string({ error: 'expected a duration such as "30m" (units: s, m, h, d)' })
  .trim()
  .regex(DURATION, 'expected a duration such as "30m" (units: s, m, h, d)')
  .transform((v) => ms(v.replace(/\s+/g, '') as ms.StringValue))
  .refine((v) => v > 0, 'duration must be greater than zero');

/** Formats milliseconds for people: 90_000 → "1m 30s", 7_200_000 → "2h". */
export function formatDuration(totalMs: number): string {
  const s = Math.round(Math.max(0, totalMs) / 1000);
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (sec && !d && !h) parts.push(`${sec}s`);
  return parts.length ? parts.join(' ') : '0s';
}
