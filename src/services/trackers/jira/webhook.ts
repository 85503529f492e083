import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { TrackerChange } from '../../../domain/trackers/tracker-issue.js';
import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';
import type { WebhookHeaders } from '../adapter.js';
import { hasMappedFields, jiraIssueSchema, mapJiraIssue } from './mapping.js';

/*
 * Jira webhooks (issue 21). An admin webhook registered with a secret (Jira Cloud: System > WebHooks, or
 * POST /rest/webhooks/1.0/webhook with `secret`) is signed WebSub-style: `X-Hub-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body keyed with the secret (developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks).
 * Payloads: developer.atlassian.com/cloud/jira/platform/webhooks/#example-callback-for-an-issue-related-event.
 */

/** The one signature method Jira uses. */
const PREFIX = 'sha256=';

/**
 * Whether `headers['x-hub-signature']` is `sha256=<hex>` of HMAC-SHA256(`secret`, `rawBody`). False when the header is
 * missing, repeated, of another method, or not hex; compared in constant time (node:crypto timingSafeEqual).
 */
export function verifyJiraSignature(headers: WebhookHeaders, rawBody: Buffer, secret: string): boolean {
  const header = headers['x-hub-signature'];
  if (typeof header !== 'string' || !header.toLowerCase().startsWith(PREFIX) || secret === '') return false;
  const hex = header.slice(PREFIX.length).trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

const deliverySchema = z.looseObject({ webhookEvent: z.string() });
const issueEventSchema = z.looseObject({ issue: jiraIssueSchema });
const deletedEventSchema = z.looseObject({ issue: z.looseObject({ key: z.string().min(1) }) });
const linkEventSchema = z.looseObject({
  issueLink: z.looseObject({ sourceIssueId: z.union([z.number(), z.string()]), destinationIssueId: z.union([z.number(), z.string()]) }),
});

/**
 * What a verified delivery says, by `webhookEvent`:
 * - `jira:issue_created` / `jira:issue_updated` → `upsert` of the payload's issue when its fields hold everything the
 *   mapping reads, else `refetch` of its key;
 * - `jira:issue_deleted` → `delete` of its key;
 * - `issuelink_created` / `issuelink_deleted` → `refetch` of both linked issues, by their numeric ids (the payload
 *   carries no keys; Jira's GET issue and JQL `issue = <id>` accept ids): the blocked side's "is blocked by" list is
 *   what changed, and either side may be the one in the source;
 * - anything else, or a payload without what the event needs → `ignored` with why. Never throws.
 * Deliveries are only sent for issues matching the webhook's own JQL filter (set it to the source's `jql`); an issue
 * that leaves the filter is dropped by the next reconcile poll.
 */
export function parseJiraWebhook(body: unknown, source: Pick<JiraSourceConfig, 'due_field' | 'points_field'>, site: string): TrackerChange[] {
  const delivery = deliverySchema.safeParse(body);
  if (!delivery.success) return [{ kind: 'ignored', why: 'not a Jira webhook delivery (no webhookEvent)' }];
  const event = delivery.data.webhookEvent;
  switch (event) {
    case 'jira:issue_created':
    case 'jira:issue_updated': {
      const parsed = issueEventSchema.safeParse(body);
      if (!parsed.success) return [{ kind: 'ignored', why: `${event} without an issue key` }];
      const issue = parsed.data.issue;
      if (!hasMappedFields(issue, source)) return [{ kind: 'refetch', key: issue.key }];
      try {
        return [{ kind: 'upsert', issue: mapJiraIssue(issue, source, site) }];
      } catch {
        return [{ kind: 'refetch', key: issue.key }];
      }
    }
    case 'jira:issue_deleted': {
      const parsed = deletedEventSchema.safeParse(body);
      return parsed.success ? [{ kind: 'delete', key: parsed.data.issue.key }] : [{ kind: 'ignored', why: `${event} without an issue key` }];
    }
    case 'issuelink_created':
    case 'issuelink_deleted': {
      const parsed = linkEventSchema.safeParse(body);
      if (!parsed.success) return [{ kind: 'ignored', why: `${event} without the linked issues' ids` }];
      const { sourceIssueId, destinationIssueId } = parsed.data.issueLink;
      return [...new Set([String(sourceIssueId), String(destinationIssueId)])].map((key) => ({ kind: 'refetch' as const, key }));
    }
    default:
      return [{ kind: 'ignored', why: `Jira event ${event} does not change a task` }];
  }
}
