import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * True when an `Authorization` header carries `Bearer <token>` (RFC 6750; the scheme is case-insensitive).
 * The comparison is constant-time: both sides are hashed to 32 bytes first, so neither the content nor the
 * length of the expected token leaks through timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  const given = m?.[1] ?? '';
  // always compare, even when the header is missing, so every refusal takes the same time
  return timingSafeEqual(digest(given), digest(token)) && m !== null;
}
