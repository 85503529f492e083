import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TrackerChange, TrackerIssue, TrackerKind } from '../../src/domain/trackers/tracker-issue.js';
import type { IssuePage, TrackerAdapter, WebhookHeaders } from '../../src/services/trackers/adapter.js';

/**
 * An in-memory tracker for the sync's tests (issue 21): a list of issues the test controls, pages of `pageSize`,
 * faults on demand (`fault`: every call throws it until cleared), and a record of calls and write-backs. Webhooks
 * are signed like GitHub's: `x-fake-signature: sha256=<HMAC-SHA256 of the raw body>`; the body is
 * `{ changes: TrackerChange[] }`. `maxActive` is the most listings that ran at once (the cross-replica lock's proof).
 */
export class FakeTracker implements TrackerAdapter {
  readonly issues = new Map<string, TrackerIssue>();
  fault: Error | null = null;
  pageSize = 2;
  /** ms each page takes, so two syncs would overlap without the lock. */
  pageDelayMs = 0;
  readonly calls: string[] = [];
  readonly comments: { key: string; text: string }[] = [];
  readonly movedToDone: string[] = [];
  private active = 0;
  maxActive = 0;

  constructor(
    readonly kind: TrackerKind = 'jira',
    readonly label = 'LAUNCH (fake)',
  ) {}

  /** Puts an issue (a new `updatedAt` each call unless given). */
  set(issue: TrackerIssue): TrackerIssue {
    this.issues.set(issue.key, issue);
    return issue;
  }

  private check(call: string) {
    this.calls.push(call);
    if (this.fault) throw this.fault;
  }

  async checkAuth(): Promise<void> {
    this.check('checkAuth');
  }

  async listIssues(cursor?: string): Promise<IssuePage> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.pageDelayMs) await new Promise((r) => setTimeout(r, this.pageDelayMs));
      this.check(`listIssues:${cursor ?? ''}`);
      const all = [...this.issues.values()].sort((a, b) => a.key.localeCompare(b.key));
      const from = cursor ? Number(cursor) : 0;
      const next = from + this.pageSize < all.length ? String(from + this.pageSize) : undefined;
      return { issues: structuredClone(all.slice(from, from + this.pageSize)), ...(next ? { next } : {}) };
    } finally {
      this.active--;
    }
  }

  async getIssue(key: string): Promise<TrackerIssue | null> {
    this.check(`getIssue:${key}`);
    return structuredClone(this.issues.get(key) ?? null);
  }

  async verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, secret: string): Promise<boolean> {
    const got = String(headers['x-fake-signature'] ?? '');
    const want = FakeTracker.sign(rawBody, secret);
    return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
  }

  parseWebhook(_headers: WebhookHeaders, body: unknown): TrackerChange[] {
    const changes = (body as { changes?: TrackerChange[] }).changes;
    return Array.isArray(changes) ? changes : [{ kind: 'ignored', why: 'no changes' }];
  }

  async moveToDone(key: string): Promise<void> {
    this.check(`moveToDone:${key}`);
    this.movedToDone.push(key);
  }

  async addComment(key: string, text: string): Promise<void> {
    this.check(`addComment:${key}`);
    this.comments.push({ key, text });
  }

  /** The signature header value for a body and secret. */
  static sign(rawBody: Buffer | string, secret: string): string {
    return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  }
}

/** A tracker issue with defaults (open, unassigned, no due), `updatedAt` given by the test's clock. */
export function anIssue(key: string, updatedAt: string, over: Partial<TrackerIssue> = {}): TrackerIssue {
  return {
    key,
    title: `Issue ${key}`,
    url: `https://acme.atlassian.net/browse/${key}`,
    assigneeEmail: null,
    assigneeName: null,
    due: null,
    estimate: null,
    status: 'To Do',
    done: false,
    priority: null,
    blockedBy: [],
    updatedAt,
    ...over,
  };
}
