import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/api/openapi.js';
import { RECORD_KINDS, recordSchemas } from '../../../src/services/records/schemas.js';
import { responseValidator } from '../../support/openapi.js';

const at = '2026-11-02T15:00:00.000Z';
/** One record of each kind, valid for its zod schema. */
const SAMPLES = {
  checkins: {
    id: 1,
    checkin_id: 'standup',
    workstream_id: 'ws1',
    workstream_name: 'Broker',
    local_date: '2026-11-02',
    zone: 'America/New_York',
    status: 'closed',
    open_at: at,
    close_at: at,
    closed_at: null,
    started_by: null,
    report_channel: 'C1',
    report_ts: '1.2',
    prompted: 3,
    skipped: 0,
    answered: 2,
  },
  answers: {
    id: 1,
    run_id: 1,
    checkin_id: 'standup',
    workstream_id: 'ws1',
    local_date: '2026-11-02',
    user_id: 'U1',
    complete: true,
    late: false,
    source: 'dm',
    edits: 0,
    completed_at: at,
    updated_at: at,
    answers: { today: 'x', progress: 60 },
  },
  blockers: {
    id: 1,
    short_id: 'B-1',
    workstream_id: 'ws1',
    gate_id: null,
    task_id: 'O-3',
    severity: 'P0',
    status: 'open',
    text: 'Task O-3 “Email” is not done (0%).',
    reporter: 'U1',
    owner: 'U1',
    source: 'task',
    standup_answer_id: null,
    raised_at: at,
    first_acknowledged_at: null,
    acknowledged_by: [],
    resolved_at: null,
    resolved_by: null,
    levels_done: 0,
    permalink: null,
    timeline: [{ id: 1, kind: 'raised', actor: 'U1', at, data: {} }],
  },
  tasks: {
    id: 'O-3',
    workstream_id: 'ws1',
    title: 'Email',
    owner: 'U1',
    due: at,
    due_local: '2026-11-02T10:00',
    estimate_h: 2,
    priority: 'P1',
    requires: ['qa'],
    status: 'done',
    progress: 100,
    done_at: at,
    done_by: 'U1',
    updated_at: at,
    updated_by: 'U1',
    url: 'https://acme.atlassian.net/browse/O-3',
    source: 'Jira LAUNCH',
    owner_unmatched: null,
  },
  gates: { gate_id: 'qa', name: 'QA', status: 'passed', signed_by: 'U1', signed_at: at, note: null, updated_at: at },
  decisions: { id: 1, decision: 'go', verdict: 'GO', percent: 100, note: null, actor: 'U1', at },
  overrides: {
    id: 3,
    kind: 'task_due',
    target: 'O-2',
    workstream_id: 'ws1',
    value: '2026-11-02T16:00',
    file_value: '2026-11-02T15:00',
    reason: 'vendor is late',
    created_by: 'U1',
    created_at: at,
    active: false,
    dropped_at: at,
    dropped_by: 'file',
    drop_reason: 'file changed: 2026-11-02T15:00 → 2026-11-02T15:45',
  },
};

describe('the OpenAPI document of /api/v1', () => {
  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator) whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(openApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
    // and the validator does catch a broken document
    const broken = { ...openApiDocument(), paths: { '/api/v1/x': { get: { responses: { '200': { content: 'json' } } } } } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has one bearer-protected GET per kind with 200, 400 and 401 answers', () => {
    const doc = openApiDocument() as { paths: Record<string, { get: { security: unknown; responses: Record<string, unknown> } }>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(RECORD_KINDS.map((k) => `/api/v1/${k}`));
    for (const p of Object.values(doc.paths)) {
      expect(p.get.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(p.get.responses)).toEqual(['200', '400', '401']);
    }
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Answer', 'Blocker', 'BlockerEvent', 'Checkin', 'Decision', 'Error', 'Gate', 'Override', 'Task']);
  });

  it("a record the zod schema accepts is a valid page item for the document's JSON Schema, and a wrong one is not", () => {
    const doc = openApiDocument();
    for (const kind of RECORD_KINDS) {
      const sample = recordSchemas[kind].parse(SAMPLES[kind]);
      const check = responseValidator(doc, `/api/v1/${kind}`);
      expect(check({ data: [sample], next_cursor: null }), kind).toBeNull();
      expect(check({ data: [{ ...sample, [Object.keys(sample)[0]!]: { wrong: true } }], next_cursor: null }), kind).not.toBeNull();
      expect(check({ data: [sample] }), kind).toMatch(/next_cursor/);
    }
  });

  it('a blocker names its task (task_id, null when none) and its source is one of the five ways a blocker is raised', () => {
    const check = responseValidator(openApiDocument(), '/api/v1/blockers');
    const blocker = SAMPLES.blockers;
    for (const source of ['command', 'modal', 'standup', 'gate', 'task', 'workflow']) expect(check({ data: [{ ...blocker, source }], next_cursor: null }), source).toBeNull();
    expect(check({ data: [{ ...blocker, task_id: null }], next_cursor: null })).toBeNull();
    expect(check({ data: [{ ...blocker, source: 'email' }], next_cursor: null })).not.toBeNull();
    const { task_id: _, ...withoutTask } = blocker;
    expect(check({ data: [withoutTask], next_cursor: null })).toMatch(/task_id/);
  });
});
