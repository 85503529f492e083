import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvColumns } from '../../../src/cli/export-format.js';
import { RECORD_KINDS } from '../../../src/services/records/schemas.js';

const readme = readFileSync(new URL('../../../docs/export-and-api.md', import.meta.url), 'utf8');

describe('docs/export-and-api.md documents every column of every kind', () => {
  it.each(RECORD_KINDS)('%s', (kind) => {
    const start = readme.indexOf(`**${kind}** (time column:`);
    expect(start, `docs/export-and-api.md has no **${kind}** columns section`).toBeGreaterThan(-1);
    // the section ends at the next kind's heading or the closing paragraph
    const ends = ['\n\n**', '\n\nAdding a kind'].map((m) => readme.indexOf(m, start + 1)).filter((i) => i > -1);
    const section = readme.slice(start, Math.min(...ends));
    const documented = [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z_]+)`/g)].map((c) => c[1]));
    expect(documented.sort()).toEqual([...csvColumns(kind)].sort());
  });
});
