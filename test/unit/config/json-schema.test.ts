import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JSON_SCHEMA_FILE, workspaceJsonSchemaText } from '../../../src/config/json-schema.js';

/*
 * preflight.schema.json: generated from the zod schema, committed, current, named by every example, and
 * meaningful (the examples pass it; a typo'd key and a person written as a name fail it).
 */

// ajv is CommonJS: under NodeNext its default import is the module object; `.default` is the class.
const Ajv2020 = Ajv2020Module.default;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = readFileSync(join(root, JSON_SCHEMA_FILE), 'utf8');
const examples = readdirSync(join(root, 'examples')).filter((f) => /\.ya?ml$/.test(f));

function compile() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('email', (v: string) => z.email().safeParse(v).success);
  return ajv.compile(JSON.parse(committed) as object);
}

describe(JSON_SCHEMA_FILE, () => {
  it('is current with src/config/workspace.ts (run `npm run config:schema` after changing the schema)', () => {
    expect(committed).toBe(workspaceJsonSchemaText());
  });

  it.each(examples)('examples/%s names it on its first line (yaml-language-server), by a path that exists', (name) => {
    const first = readFileSync(join(root, 'examples', name), 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m, first).not.toBeNull();
    expect(resolve(dirname(join(root, 'examples', name)), m![1]!)).toBe(join(root, JSON_SCHEMA_FILE));
  });

  it.each(examples)('accepts examples/%s', (name) => {
    const validate = compile();
    expect(validate(parse(readFileSync(join(root, 'examples', name), 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects an unknown key, a person written as a name and a duration without unit', () => {
    const validate = compile();
    const base = parse(readFileSync(join(root, 'examples', 'minimal.preflight.yml'), 'utf8'));
    const bad = (edit: (c: any) => void) => {
      const c = structuredClone(base);
      edit(c);
      return validate(c);
    };
    expect(bad(() => {})).toBe(true);
    expect(bad((c) => (c.standup.remind_afer = '10m'))).toBe(false);
    expect(bad((c) => (c.program.pm = 'Jane Doe'))).toBe(false);
    expect(bad((c) => (c.program.pm = 'jane@example.com'))).toBe(true);
    expect(bad((c) => (c.standup.close_after = 30))).toBe(false);
  });
});
