import { Transform, type Readable } from 'node:stream';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { InstantRange } from '../../domain/records/range.js';
import type { Deps } from '../deps.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { recordKinds } from './kinds.js';
import type { RecordKind, RecordOf } from './schemas.js';

/** The largest page the API serves. */
export const MAX_PAGE = 200;

// Rows arrive positionally (`rowMode: 'array'`) and pg's own parsers apply, except for `date`, which pg would turn
// into a Date at the machine's local midnight: it stays the `YYYY-MM-DD` text Postgres sends (as drizzle does).
const DATE_OID = 1082;
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** One page of records and the cursor of the next page (null on the last page). */
export interface RecordPage<K extends RecordKind> {
  records: RecordOf<K>[];
  next: string | null;
}

/**
 * A page of `kind` ordered by its sort key (ids ascending; gates by id), for the API.
 * @param opts.range instants (see domain/records/range.ts); opts.cursor: a `next` from an earlier page; opts.limit 1–{@link MAX_PAGE}
 * @throws CursorError for a cursor not handed out for this kind
 */
export async function readPage<K extends RecordKind>(deps: Pick<Deps, 'db' | 'config'>, kind: K, opts: { range: InstantRange; cursor?: string; limit: number }): Promise<RecordPage<K>> {
  const spec = recordKinds[kind];
  const limit = Math.min(Math.max(1, Math.trunc(opts.limit)), MAX_PAGE);
  const after = opts.cursor ? decodeCursor(kind, opts.cursor, spec.sortKeyType) : null;
  const { sql, params } = spec.build(deps.db, { range: opts.range, after, limit: limit + 1 }).toSQL();
  const res = await deps.db.$client.query({ text: sql, values: params, rowMode: 'array', types });
  const records = (res.rows as unknown[][]).slice(0, limit).map((row) => spec.toRecord(row, deps.config) as RecordOf<K>);
  const more = res.rows.length > limit;
  return { records, next: more ? encodeCursor(kind, spec.sortKey(records.at(-1)! as never)) : null };
}

/**
 * Every record of `kind` in the range, in sort-key order, as an object-mode stream. Rows come through a server-side
 * cursor (pg-query-stream, `batchSize` rows at a time) on one pooled connection, so memory stays flat whatever the
 * table's size; the connection goes back to the pool when the stream ends, fails or is destroyed.
 * `batchSize` 250: with 1,000 a batch of rows lived long enough to be promoted to V8's old space, and the export
 * of 200,000 answers peaked at 198–202 MB RSS instead of ~147 MB (bench/RESULTS.md, export section).
 */
export async function streamRecords<K extends RecordKind>(deps: Pick<Deps, 'db' | 'config'>, kind: K, range: InstantRange, batchSize = 250): Promise<Readable> {
  const spec = recordKinds[kind];
  const { sql, params } = spec.build(deps.db, { range, after: null }).toSQL();
  const client = await deps.db.$client.connect();
  const rows = client.query(new QueryStream(sql, params, { batchSize, rowMode: 'array', types }));
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  const toRecords = new Transform({
    objectMode: true,
    transform(row: unknown[], _enc, done) {
      try {
        done(null, spec.toRecord(row, deps.config));
      } catch (err) {
        done(err as Error);
      }
    },
  });
  rows.on('error', (err: Error) => {
    release(err);
    toRecords.destroy(err);
  });
  rows.on('end', () => release());
  toRecords.on('close', () => {
    if (!released) {
      // the consumer gave up early: close the cursor, then hand the connection back
      rows.destroy();
      release();
    }
  });
  return rows.pipe(toRecords);
}
