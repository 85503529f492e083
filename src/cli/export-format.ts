import { Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import { recordSchemas, type RecordKind } from '../services/records/schemas.js';

export type ExportFormat = 'csv' | 'json';

/** The CSV columns of a kind: its schema's keys, in order (the README's tables list them). */
export function csvColumns(kind: RecordKind): string[] {
  return Object.keys(recordSchemas[kind].shape);
}

/**
 * Records (object mode) → text. `csv`: RFC 4180 with a header row (csv-stringify); null is an empty cell, booleans are
 * `true`/`false`, nested values (answers, acknowledged_by, timeline) are JSON text in one cell. `json`: NDJSON, one
 * record per line exactly as the API serves it.
 */
export function formatter(kind: RecordKind, format: ExportFormat): Transform {
  if (format === 'csv') {
    return stringify({
      header: true,
      columns: csvColumns(kind),
      cast: { boolean: (v) => (v ? 'true' : 'false'), object: (v) => JSON.stringify(v) },
    });
  }
  return new Transform({
    writableObjectMode: true,
    transform(record, _enc, done) {
      done(null, `${JSON.stringify(record)}\n`);
    },
  });
}
