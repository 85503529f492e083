import { z } from 'zod';
import { recordKinds } from '../services/records/kinds.js';
import { MAX_PAGE } from '../services/records/read.js';
import { blockerEventSchema, RECORD_KINDS, recordSchemas, type RecordKind } from '../services/records/schemas.js';

/** What each resource is, for the document (the range's column is appended from services/records/kinds.ts). */
const SUMMARIES: Record<RecordKind, string> = {
  checkins: 'Check-in runs (a standup of a workstream on one local date) with participation counts',
  answers: "Members' answers to check-in runs",
  blockers: 'Blockers with the gate or task each is about and their timeline (raised, acknowledged, escalated, snoozed, reassigned, resolved)',
  tasks: 'Tasks declared in preflight.yml with their state (a task never updated is open at 0 %), ordered by task id',
  gates: 'Recorded quality gate states (a gate with no sign-off, failure or withdrawal yet is pending and not listed)',
  decisions: 'Go/no-go decisions recorded with /gonogo decide',
  overrides: 'Changes made from Slack on top of preflight.yml (/task add, due, assign, drop; /gonogo due), active and dropped, with who, when and why',
};

const componentName = (schema: z.ZodType) => z.globalRegistry.get(schema)?.id as string;

/** The body of every error answer. */
export const apiErrorSchema = z.object({ error: z.string().describe('unauthorized, bad_request or internal'), message: z.string() }).meta({ id: 'Error' });

/** A page of records of one kind: `next_cursor` is null on the last page. */
export const pageSchema = <S extends z.ZodType>(record: S) => z.object({ data: z.array(record), next_cursor: z.string().nullable() });

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas of the records (services/records/schemas.ts)
 * with zod's own `z.toJSONSchema` (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses). Components are named by each
 * schema's `meta({ id })`.
 */
export function openApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const s of [...Object.values(recordSchemas), blockerEventSchema, apiErrorSchema]) registry.add(s, { id: componentName(s) });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  const components: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    components[name] = rest;
  }
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  const dateParam = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', format: 'date', examples: ['2026-11-01'] } });
  const paths: Record<string, unknown> = {};
  for (const kind of RECORD_KINDS) {
    const item = componentName(recordSchemas[kind]);
    paths[`/api/v1/${kind}`] = {
      get: {
        operationId: `list${item}s`,
        summary: `${SUMMARIES[kind]}; from/to apply to ${recordKinds[kind].timeColumn}`,
        security: [{ bearer: [] }],
        parameters: [
          dateParam('from', "First day (inclusive), in the program's time zone"),
          dateParam('to', "Last day (inclusive), in the program's time zone"),
          { name: 'limit', in: 'query', required: false, description: `Records per page, 1–${MAX_PAGE}`, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 50 } },
          { name: 'cursor', in: 'query', required: false, description: 'next_cursor of the previous page, unchanged', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: `A page of ${kind}, oldest first`,
            content: {
              'application/json': {
                schema: { type: 'object', required: ['data', 'next_cursor'], properties: { data: { type: 'array', items: ref(item) }, next_cursor: { type: ['string', 'null'] } } },
              },
            },
          },
          '400': error('A malformed date, limit or cursor; the message says what to send'),
          '401': error('A missing or wrong bearer token'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Preflight read-only API',
      version: '1',
      description:
        'Check-ins, answers, blockers, tasks, gates, decisions and plan overrides as Preflight stores them. Send `Authorization: Bearer <PREFLIGHT_API_TOKEN>`. Pages are ordered by id (tasks and gates by their id) and continue with an opaque cursor.',
    },
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
