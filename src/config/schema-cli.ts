/**
 * `npm run config:schema`: writes preflight.schema.json (the JSON Schema of preflight.yml, for editors) from the
 * zod schema. `npm run config:schema -- --check` writes nothing and exits 1 when the committed file is not
 * current (CI runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE, workspaceJsonSchemaText } from './json-schema.js';

const path = fileURLToPath(new URL(`../../${JSON_SCHEMA_FILE}`, import.meta.url));
const text = workspaceJsonSchemaText();
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    /* missing: not current */
  }
  if (committed !== text) {
    console.error(`${JSON_SCHEMA_FILE} is not current with src/config/schema/: run npm run config:schema and commit it`);
    process.exit(1);
  }
  console.log(`${JSON_SCHEMA_FILE} is current`);
} else {
  writeFileSync(path, text);
  console.log(`wrote ${JSON_SCHEMA_FILE}`);
}
