import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { linearSourceSchema } from '../../../../../src/config/schema/tasks-from.js';
import { createLinearAdapter } from '../../../../../src/services/trackers/linear/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../../fixtures/trackers/linear/webhooks/${name}`, import.meta.url), 'utf8'));
const source = (extra: Record<string, unknown> = {}) => linearSourceSchema.parse({ linear: { team: 'ENG', project: 'Launch', label: 'omega', ...extra } }).linear;
const adapter = (extra: Record<string, unknown> = {}) => createLinearAdapter(source(extra), { LINEAR_API_KEY: 'lin_api_x' });
const SECRET = 'lin_wh_5f1c2e3d4b';
/** The test's own now; the SDK's check reads Date.now, which the fake timers pin here. */
const NOW = Date.parse('2026-12-05T12:00:00Z');

const sign = (raw: Buffer, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('hex');
/** A delivery as Linear sends it: the fixture with `webhookTimestamp` (UTC epoch ms), its raw bytes and signature. */
function delivery(name: string, timestampMs = NOW) {
  const body = { ...fixture(name), webhookTimestamp: timestampMs };
  const raw = Buffer.from(JSON.stringify(body));
  return {
    body,
    raw,
    headers: { 'linear-signature': sign(raw), 'linear-delivery': '0f3c7b1e-2a4d-4e6f-8b9c-1d2e3f4a5b6c', 'linear-event': body.type, 'content-type': 'application/json; charset=utf-8' },
  };
}

describe('verifyWebhook', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('accepts a delivery signed with the secret whose timestamp is now', async () => {
    const d = delivery('issue-create.json');
    expect(await adapter().verifyWebhook(d.headers, d.raw, SECRET)).toBe(true);
  });

  it('accepts a timestamp 59 s old, refuses one 61 s old or 61 s ahead', async () => {
    const a = adapter();
    for (const [offset, ok] of [
      [-59_000, true],
      [-61_000, false],
      [61_000, false],
    ] as const) {
      const d = delivery('issue-update.json', NOW + offset);
      expect(await a.verifyWebhook(d.headers, d.raw, SECRET), `offset ${offset}`).toBe(ok);
    }
  });

  it('refuses a bad signature, another secret, a missing header, a changed body and a body without timestamp', async () => {
    const a = adapter();
    const d = delivery('issue-create.json');
    expect(await a.verifyWebhook({ ...d.headers, 'linear-signature': sign(d.raw).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, d.raw, SECRET)).toBe(false);
    expect(await a.verifyWebhook(d.headers, d.raw, 'another-secret')).toBe(false);
    expect(await a.verifyWebhook({ ...d.headers, 'linear-signature': undefined }, d.raw, SECRET)).toBe(false);
    expect(await a.verifyWebhook({ ...d.headers, 'linear-signature': 'short' }, d.raw, SECRET)).toBe(false);
    const tampered = Buffer.from(d.raw.toString().replace('Prepare the press kit', 'Prepare the press kits'));
    expect(await a.verifyWebhook(d.headers, tampered, SECRET)).toBe(false);
    const { webhookTimestamp: _drop, ...untimed } = d.body;
    const raw = Buffer.from(JSON.stringify(untimed));
    expect(await a.verifyWebhook({ 'linear-signature': sign(raw) }, raw, SECRET)).toBe(false);
    const notJson = Buffer.from('not json');
    expect(await a.verifyWebhook({ 'linear-signature': sign(notJson) }, notJson, SECRET)).toBe(false);
  });

  it('refuses everything when the secret is empty', async () => {
    const d = delivery('issue-create.json');
    expect(await adapter().verifyWebhook({ 'linear-signature': sign(d.raw, '') }, d.raw, '')).toBe(false);
  });
});

describe('parseWebhook', () => {
  const parse = (name: string, extra: Record<string, unknown> = {}) => adapter(extra).parseWebhook({}, fixture(name));

  it('Issue create with every field: an upsert mapped from the payload', () => {
    expect(parse('issue-create.json')).toEqual([
      {
        kind: 'upsert',
        issue: {
          key: 'ENG-31',
          title: 'Prepare the press kit',
          url: 'https://linear.app/acme/issue/ENG-31/prepare-the-press-kit',
          assigneeEmail: 'ana@acme.com',
          assigneeName: 'Ana Lima',
          due: { date: '2026-12-17' },
          estimate: { points: 5 },
          status: 'Todo',
          done: false,
          priority: 'P1',
          blockedBy: [],
          updatedAt: '2026-12-04T16:20:11.482Z',
        },
      },
    ]);
  });

  it('Issue create outside the label or project filter, or missing a field: a refetch (the API decides)', () => {
    expect(parse('issue-create.json', { label: 'beta' })).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
    expect(parse('issue-create.json', { project: 'Other' })).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
    const body = fixture('issue-create.json');
    delete body.data.state;
    expect(adapter().parseWebhook({}, body)).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
  });

  it('Issue update: a refetch (payloads carry no relations)', () => {
    expect(parse('issue-update.json')).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
  });

  it('Issue remove: a delete', () => {
    expect(parse('issue-remove.json')).toEqual([{ kind: 'delete', key: 'ENG-31' }]);
  });

  it('Issue moved to another team: a delete of its former key', () => {
    expect(parse('issue-moved-team.json')).toEqual([{ kind: 'delete', key: 'ENG-31' }]);
  });

  it('Issue of another team: ignored', () => {
    const changes = parse('issue-create.json', { team: 'OPS' });
    expect(changes).toEqual([{ kind: 'ignored', why: 'ENG-31 is not an issue of team OPS' }]);
  });

  it('IssueRelation of type blocks: a refetch of the blocked issue', () => {
    expect(parse('issue-relation-create.json')).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
    const removed = { ...fixture('issue-relation-create.json'), action: 'remove' };
    expect(adapter().parseWebhook({}, removed)).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
  });

  it('IssueRelation that stopped blocking: a refetch; one that never blocked: ignored', () => {
    const body = fixture('issue-relation-create.json');
    const changed = { ...body, action: 'update', data: { ...body.data, type: 'related' }, updatedFrom: { type: 'blocks' } };
    expect(adapter().parseWebhook({}, changed)).toEqual([{ kind: 'refetch', key: 'ENG-31' }]);
    const related = { ...body, data: { ...body.data, type: 'related' } };
    expect(adapter().parseWebhook({}, related)).toMatchObject([{ kind: 'ignored' }]);
  });

  it('a Comment, an unknown type, or junk: ignored, never thrown', () => {
    expect(parse('comment-create.json')).toMatchObject([{ kind: 'ignored' }]);
    for (const junk of [null, 'x', 42, [], {}, { type: 'Issue' }, { type: 'Issue', action: 'create', data: { identifier: 7 } }, { type: 'Project', action: 'update', data: { id: 'p' } }]) {
      const changes = adapter().parseWebhook({}, junk);
      expect(changes, JSON.stringify(junk)).toHaveLength(1);
      expect(changes[0]!.kind).toBe('ignored');
    }
  });
});
