import { Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import { recordSchemas, type RecordKind } from '../services/records/schemas.js';

export type ExportFormat = 'csv' | 'json';

/** Options of the CSV format. */
export interface CsvOptions {
  /** Start with the UTF-8 byte order mark (EF BB BF), so Excel on Windows reads the file as UTF-8. Default false. */
  bom?: boolean;
}

/** The CSV columns of a kind: its schema's keys, in order (docs/export-and-api.md lists them). */
export function csvColumns(kind: RecordKind): string[] {
  return Object.keys(recordSchemas[kind].shape);
}

/**
 * Records (object mode) → text.
 * - `csv`: RFC 4180 (csv-stringify): a header row, every record (the header too) ended by CRLF, fields with a comma,
 *   quote or line break quoted; null is an empty cell, booleans are `true`/`false`, nested values (answers,
 *   acknowledged_by, timeline) are JSON text in one cell. A text cell that a spreadsheet would run as a formula
 *   (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, or their full-width forms) gets a leading `'`,
 *   as OWASP's "CSV Injection" page recommends, by csv-stringify's `escape_formulas`. That option leaves JavaScript
 *   numbers alone, so a negative number stays a number (`-12.5`); only strings are escaped. With `bom`, the UTF-8
 *   byte order mark comes first.
 * - `json`: NDJSON, one record per line exactly as the API serves it (text verbatim: JSON is not a spreadsheet).
 */
export function formatter(kind: RecordKind, format: ExportFormat, csv: CsvOptions = {}): Transform {
  if (format === 'csv') {
    return stringify({
      header: true,
      columns: csvColumns(kind),
      record_delimiter: 'windows',
      escape_formulas: true,
      bom: csv.bom === true,
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
