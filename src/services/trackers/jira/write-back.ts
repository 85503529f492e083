import { z } from 'zod';
import type { JiraConnection } from './client.js';

/*
 * Write-back to Jira (issue 21, opt-in per source with `write_back: true`): moving an issue to done through its
 * workflow's transitions, and comments. REST: GET/POST /rest/api/{3,2}/issue/{key}/transitions and
 * POST /rest/api/{3,2}/issue/{key}/comment (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get).
 */

const transitionsSchema = z.looseObject({
  transitions: z
    .array(z.looseObject({ id: z.string(), name: z.string().optional(), to: z.looseObject({ name: z.string().optional(), statusCategory: z.looseObject({ key: z.string() }).nullish() }).nullish() }))
    .default([]),
});
const statusSchema = z.looseObject({ fields: z.looseObject({ status: z.looseObject({ name: z.string(), statusCategory: z.looseObject({ key: z.string() }).nullish() }) }) });

/** An Atlassian Document Format node (developer.atlassian.com/cloud/jira/platform/apis/document/structure/). */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

/** An ADF document, as Jira Cloud's REST v3 takes a comment's `body`. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/**
 * Plain text → an ADF document: a blank line starts a new paragraph, a single newline is a hard break, and each
 * http(s) URL (a Slack permalink) becomes a link. Nothing else is interpreted: `*`, `<!channel>` stay text.
 */
export function plainTextToAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '');
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p.split('\n').flatMap((line, i): AdfNode[] => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...lineNodes(line)]),
    })),
  };
}

/** One line's text nodes, URLs as link-marked text. */
function lineNodes(line: string): AdfNode[] {
  const nodes: AdfNode[] = [];
  let last = 0;
  for (const m of line.matchAll(/https?:\/\/[^\s<>]+/g)) {
    if (m.index > last) nodes.push({ type: 'text', text: line.slice(last, m.index) });
    nodes.push({ type: 'text', text: m[0], marks: [{ type: 'link', attrs: { href: m[0] } }] });
    last = m.index + m[0].length;
  }
  if (last < line.length) nodes.push({ type: 'text', text: line.slice(last) });
  return nodes;
}

/**
 * Moves `key` to done: GETs its transitions and POSTs the first whose target status is in the `done` category.
 * Already done (no such transition, and its status is in `done`): nothing to do.
 * @throws Error naming the issue and the transitions it offers when none leads to done; the contract's faults (client.ts).
 */
export async function moveJiraIssueToDone(conn: JiraConnection, key: string): Promise<void> {
  const base = `${conn.api}/issue/${encodeURIComponent(key)}`;
  const { transitions } = transitionsSchema.parse(await conn.client.sendRequest({ url: `${base}/transitions` }));
  const done = transitions.find((t) => t.to?.statusCategory?.key === 'done');
  if (done) {
    await conn.client.sendRequest({ url: `${base}/transitions`, method: 'POST', body: { transition: { id: done.id } } });
    return;
  }
  const issue = statusSchema.parse(await conn.client.sendRequest({ url: base, searchParams: { fields: 'status' } }));
  if (issue.fields.status.statusCategory?.key === 'done') return;
  const offered = transitions.map((t) => `${t.name ?? t.id} → ${t.to?.name ?? '?'}`).join(', ') || 'none';
  throw new Error(`Jira issue ${key} (${issue.fields.status.name}) has no transition into a done status (offered: ${offered})`);
}

/**
 * Adds one comment to `key`: an ADF document on Cloud (REST v3, {@link plainTextToAdf}), the plain text as `body` on
 * Data Center (REST v2).
 * @throws the contract's faults (client.ts); JiraRequestError (404) when the issue is gone.
 */
export async function addJiraComment(conn: JiraConnection, key: string, text: string): Promise<void> {
  const body = conn.deployment === 'cloud' ? plainTextToAdf(text) : text;
  await conn.client.sendRequest({ url: `${conn.api}/issue/${encodeURIComponent(key)}/comment`, method: 'POST', body: { body } });
}
