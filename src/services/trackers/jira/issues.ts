import { z } from 'zod';
import type { TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';
import type { IssuePage } from '../adapter.js';
import { type JiraConnection, JiraRequestError } from './client.js';
import { jiraIssueSchema, mapJiraIssue, requestedFields } from './mapping.js';

/*
 * Reading a source's issues with JQL (issue 21). Cloud: the enhanced search, POST /rest/api/3/search/jql, paged by
 * `nextPageToken` (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post).
 * Data Center: POST /rest/api/2/search, paged by `startAt` (docs.atlassian.com/software/jira/docs/api/REST/latest/#api/2/search-searchUsingSearchRequest).
 * Both go through jira.js's core client (`jira.js/core`: auth, OAuth refresh, errors, rate limits) with the request
 * jira.js's own `searchAndReconsileIssuesUsingJqlPost` builds; not through `createCloudClient`, whose import loads every
 * generated Jira Cloud endpoint (~36 MB more RSS in the bot, measured: bench/RESULTS-trackers.md) for this one call.
 * The answers are checked with this file's schemas either way.
 */

/** Issues per page: the contract's Jira page size (Cloud's enhanced search returns up to 5,000 for few fields; 100 keeps pages small). */
export const JIRA_PAGE_SIZE = 100;

const cloudPageSchema = z.looseObject({ issues: z.array(jiraIssueSchema).default([]), nextPageToken: z.string().nullish(), isLast: z.boolean().optional() });
const dcPageSchema = z.looseObject({ issues: z.array(jiraIssueSchema).default([]), startAt: z.number().int(), maxResults: z.number().int().optional(), total: z.number().int().optional() });

/**
 * A JQL split into its filter and its trailing `ORDER BY` clause (null when it has none); an `order by` inside a quoted
 * value is not a clause.
 */
export function splitOrderBy(jql: string): { filter: string; orderBy: string | null } {
  let at = -1;
  for (const m of jql.matchAll(/\border\s+by\b/gi)) {
    const before = jql.slice(0, m.index);
    if ((before.match(/"/g) ?? []).length % 2 === 0 && (before.match(/'/g) ?? []).length % 2 === 0) at = m.index;
  }
  return at < 0 ? { filter: jql.trim(), orderBy: null } : { filter: jql.slice(0, at).trim(), orderBy: jql.slice(at).trim() };
}

/** Reads the issues of one source. */
export class JiraIssueReader {
  /** The source's filter, without its ORDER BY. */
  readonly #filter: string;
  /** The listing's JQL: the source's, ordered by key when it has no ORDER BY (new issues land on the last page, so `startAt` paging skips none). */
  readonly #listJql: string;

  constructor(
    private readonly conn: JiraConnection,
    private readonly source: JiraSourceConfig,
  ) {
    const { filter, orderBy } = splitOrderBy(source.jql);
    this.#filter = filter;
    this.#listJql = `${filter} ${orderBy ?? 'ORDER BY key ASC'}`.trim();
  }

  /**
   * One page of `jql`'s issues, mapped. `cursor`: Cloud's `nextPageToken`, or Data Center's `startAt` as a decimal
   * string; absent for the first page. The page's `next` is absent on the last page.
   * @throws JiraRequestError on Jira's 400 (a JQL it rejects: the message names the source's jql), the contract's
   *   faults otherwise (client.ts); Error when an issue lacks a mapped field or the cursor is not one this source gave.
   */
  async page(cursor?: string, jql = this.#listJql): Promise<IssuePage> {
    const fields = requestedFields(this.source);
    try {
      if (this.conn.deployment === 'cloud') {
        const raw = await this.conn.client.sendRequest({
          url: '/rest/api/3/search/jql',
          method: 'POST',
          body: { jql, fields, maxResults: JIRA_PAGE_SIZE, ...(cursor ? { nextPageToken: cursor } : {}) },
        });
        const page = parse(cloudPageSchema, raw, 'POST /rest/api/3/search/jql');
        const next = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? (page.nextPageToken ?? undefined) : undefined;
        return { issues: this.#map(page.issues), ...(next ? { next } : {}) };
      }
      const startAt = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isSafeInteger(startAt) || startAt < 0) throw new Error(`Jira Data Center cursor must be a startAt offset, got "${cursor}"`);
      const raw = await this.conn.client.sendRequest({ url: '/rest/api/2/search', method: 'POST', body: { jql, startAt, maxResults: JIRA_PAGE_SIZE, fields } });
      const page = parse(dcPageSchema, raw, 'POST /rest/api/2/search');
      const reached = page.startAt + page.issues.length;
      // without `total`, a full page means there may be more
      const more = page.total === undefined ? page.issues.length >= (page.maxResults ?? JIRA_PAGE_SIZE) : reached < page.total;
      return { issues: this.#map(page.issues), ...(page.issues.length > 0 && more ? { next: String(reached) } : {}) };
    } catch (err) {
      if (err instanceof JiraRequestError && err.status === 400) throw new JiraRequestError(400, `${err.message} (the source's jql: ${jql})`);
      throw err;
    }
  }

  /**
   * One issue by key (or numeric id), mapped; null when it does not exist (deleted, or not visible to the account) or
   * no longer matches the source's `jql`. One search `issue = <key> AND (<jql's filter>)`; when Jira rejects that (400: JQL
   * naming a key that does not exist), GET issue tells a deleted issue (404 → null) from a bad JQL (rethrown).
   */
  async one(key: string): Promise<TrackerIssue | null> {
    if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$|^\d+$/.test(key)) throw new Error(`not a Jira issue key or id: "${key}"`);
    try {
      const page = await this.page(undefined, this.#filter ? `issue = ${key} AND (${this.#filter})` : `issue = ${key}`);
      return page.issues[0] ?? null;
    } catch (err) {
      if (!(err instanceof JiraRequestError) || err.status !== 400) throw err;
      try {
        await this.conn.client.sendRequest({ url: `${this.conn.api}/issue/${encodeURIComponent(key)}`, searchParams: { fields: 'summary' } });
      } catch (getErr) {
        if (getErr instanceof JiraRequestError && getErr.status === 404) return null;
        throw getErr;
      }
      throw err;
    }
  }

  #map(issues: z.infer<typeof jiraIssueSchema>[]): TrackerIssue[] {
    return issues.map((i) => mapJiraIssue(i, this.source, this.conn.site));
  }
}

/** `raw` checked against `schema`; Error naming the request and the path otherwise. */
function parse<T>(schema: z.ZodType<T>, raw: unknown, request: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  throw new Error(`Jira's answer to ${request} is not a search page: ${first.path.join('.') || '(root)'}: ${first.message}`);
}
