import type { RecordKind } from './schemas.js';

/** Thrown by {@link decodeCursor} for a cursor this API did not hand out for this kind. */
export class CursorError extends Error {
  constructor(kind: RecordKind) {
    super(`cursor is not one this API returned for ${kind}: pass next_cursor from the previous page unchanged`);
    this.name = 'CursorError';
  }
}

/**
 * An opaque page cursor: base64url of `{ k: kind, a: sort key of the last record of the page }`. Clients must
 * treat it as opaque; it is not signed (it only says where to continue, never what a client may see).
 */
export function encodeCursor(kind: RecordKind, after: number | string): string {
  return Buffer.from(JSON.stringify({ k: kind, a: after })).toString('base64url');
}

/**
 * The sort key a cursor continues after.
 * @throws CursorError when the cursor is malformed, of another kind, or its key has the wrong type
 */
export function decodeCursor(kind: RecordKind, cursor: string, keyType: 'number' | 'string'): number | string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; a?: unknown };
    if (v.k === kind && typeof v.a === keyType && (keyType === 'string' || Number.isSafeInteger(v.a))) return v.a as number | string;
  } catch {
    // fall through
  }
  throw new CursorError(kind);
}
