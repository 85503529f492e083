import { z } from 'zod';
import { workspaceSchema } from './workspace.js';

/** Where the generated schema is committed, relative to the repository root. */
export const JSON_SCHEMA_FILE = 'preflight.schema.json';

/**
 * The JSON Schema (draft 2020-12) of `preflight.yml` as people write it: zod's `z.toJSONSchema` of the
 * workspace schema on its input side (durations are strings such as "30m", defaults may be left out).
 * Cross-key rules (remind_after < close_after, gate cycles, unique ids…) and checks written as code (IANA
 * zones, real dates) are not in it; `npm run config:check` applies them.
 * @returns the schema as formatted JSON text, ending with a newline.
 */
export function workspaceJsonSchemaText(): string {
  const schema = z.toJSONSchema(workspaceSchema, { io: 'input', target: 'draft-2020-12' });
  const withTitle = {
    $schema: schema.$schema,
    title: 'preflight.yml',
    description:
      'Preflight program config: workstreams, standups, blocker escalation and go/no-go gates. Generated from src/config/workspace.ts by `npm run config:schema`; do not edit by hand. See docs/configuration.md.',
    ...schema,
  };
  return `${JSON.stringify(withTitle, null, 2)}\n`;
}
