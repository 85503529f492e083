import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Severity } from '../../../domain/blockers/ladder.js';
import type { TrackerDue, TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';

/*
 * A Jira issue (REST v3 or v2, search result, GET issue or a webhook's `issue`) → TrackerIssue, per the mapping rules
 * on TrackerIssue (domain/trackers/tracker-issue.ts) and the table in docs/trackers.md. The shapes are Atlassian's
 * documented ones (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get).
 */

/** The fields the adapter asks for (`fields=` of a search or GET issue): only what it maps. */
export function requestedFields(source: Pick<JiraSourceConfig, 'due_field' | 'points_field'>): string[] {
  return ['summary', 'assignee', source.due_field ?? 'duedate', 'timeoriginalestimate', ...(source.points_field ? [source.points_field] : []), 'status', 'priority', 'issuelinks', 'updated'];
}

const named = z.looseObject({ name: z.string() });
const linkedIssue = z.looseObject({ key: z.string() });

/** The mapped fields as Jira sends them; anything else in `fields` is ignored. */
const fieldsSchema = z.looseObject({
  summary: z.string(),
  assignee: z.looseObject({ emailAddress: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  duedate: z.string().nullish(),
  timeoriginalestimate: z.number().nullish(),
  status: z.looseObject({ name: z.string(), statusCategory: z.looseObject({ key: z.string() }).nullish() }),
  priority: named.nullish(),
  issuelinks: z
    .array(
      z.looseObject({
        type: z.looseObject({ name: z.string().nullish(), inward: z.string().nullish() }),
        inwardIssue: linkedIssue.nullish(),
        outwardIssue: linkedIssue.nullish(),
      }),
    )
    .nullish(),
  // REST: "2026-03-05T14:00:00.000+0000"; some webhook payloads: epoch ms
  updated: z.union([z.string(), z.number()]),
});

/** A Jira issue: `key` and `fields` (the issue resource's `id`, `self`, `expand`… are ignored). */
export const jiraIssueSchema = z.looseObject({ key: z.string().min(1), fields: z.looseObject({}) });
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/**
 * Jira priority name → severity. Cloud's defaults: Highest/High → P0, Medium → P1, Low/Lowest → P2 (the rule on
 * TrackerIssue); Data Center's classic scheme likewise: Blocker/Critical → P0, Major → P1, Minor/Trivial → P2.
 * Any other (custom) name → null.
 */
export function jiraPriority(name: string | null | undefined): Severity | null {
  switch (name?.trim().toLowerCase()) {
    case 'highest':
    case 'high':
    case 'blocker':
    case 'critical':
      return 'P0';
    case 'medium':
    case 'major':
      return 'P1';
    case 'low':
    case 'lowest':
    case 'minor':
    case 'trivial':
      return 'P2';
    default:
      return null;
  }
}

/** A Jira timestamp (`2026-03-05T14:00:00.000+0000`, ISO 8601 with or without the offset's colon, or epoch ms) → ISO 8601 keeping its offset; null when unreadable. */
export function jiraInstant(value: string | number): string | null {
  const at = typeof value === 'number' ? DateTime.fromMillis(value, { zone: 'utc' }) : DateTime.fromISO(value, { setZone: true });
  return at.isValid ? at.toISO() : null;
}

/** A due field's value: `YYYY-MM-DD` → a date (placed by the sync at `due_hour`), a date-time → an instant; null when absent or unreadable. */
function jiraDue(value: unknown): TrackerDue | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { date: value };
  const at = jiraInstant(value);
  return at ? { at } : null;
}

/**
 * Maps one issue. `site` (no trailing slash) makes the browse URL `<site>/browse/<key>`.
 * - assignee: `emailAddress` (null when unassigned or hidden by the user's profile visibility), `displayName`;
 * - due: `due_field` when configured (a date or date-time custom field), else `duedate`;
 * - estimate: `timeoriginalestimate` (seconds) → hours; when absent, `points_field` → points;
 * - done: `status.statusCategory.key` is `done`; blockedBy: links of type "Blocks" (or whose inward name is
 *   "is blocked by") that carry an `inwardIssue`, i.e. this issue is blocked by that one.
 * @throws Error naming the issue key and the field path when a mapped field is missing or has the wrong type.
 */
export function mapJiraIssue(issue: JiraIssue, source: Pick<JiraSourceConfig, 'due_field' | 'points_field'>, site: string): TrackerIssue {
  const parsed = fieldsSchema.safeParse(issue.fields);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`Jira issue ${issue.key}: fields.${first.path.join('.')}: ${first.message}`);
  }
  const f = parsed.data;
  const raw = issue.fields as Record<string, unknown>;
  const points = source.points_field ? raw[source.points_field] : undefined;
  const estimate = typeof f.timeoriginalestimate === 'number' ? { hours: f.timeoriginalestimate / 3600 } : typeof points === 'number' ? { points } : null;
  const updatedAt = jiraInstant(f.updated);
  if (!updatedAt) throw new Error(`Jira issue ${issue.key}: fields.updated: not a date-time (${String(f.updated)})`);
  const blockedBy = (f.issuelinks ?? []).filter((l) => (l.type.name?.toLowerCase() === 'blocks' || l.type.inward?.toLowerCase() === 'is blocked by') && l.inwardIssue).map((l) => l.inwardIssue!.key);
  return {
    key: issue.key,
    title: f.summary,
    url: `${site}/browse/${issue.key}`,
    assigneeEmail: f.assignee?.emailAddress || null,
    assigneeName: f.assignee?.displayName || null,
    due: jiraDue(source.due_field ? raw[source.due_field] : f.duedate),
    estimate,
    status: f.status.name,
    done: f.status.statusCategory?.key === 'done',
    priority: jiraPriority(f.priority?.name),
    blockedBy: [...new Set(blockedBy)],
    updatedAt,
  };
}

/** Whether an issue's `fields` hold everything {@link mapJiraIssue} reads (a webhook's payload may omit some). */
export function hasMappedFields(issue: JiraIssue, source: Pick<JiraSourceConfig, 'due_field' | 'points_field'>): boolean {
  return requestedFields(source).every((name) => name in issue.fields) && fieldsSchema.safeParse(issue.fields).success;
}
