import { EventEmitter } from 'node:events';

/*
 * The tracker stand-in's issues (issue 21): one store shared by the Jira, Linear and GitHub faces (jira.ts,
 * linear.ts, github.ts). Issues are generated from a seed, so a test or the benchmark gets the same source every run.
 * Tracker-neutral: each face renders an issue in its tracker's documented shape. Every change (through an API
 * face or through {@link TrackerStore.moveIssue} / {@link TrackerStore.editIssue}) is emitted as a
 * {@link StoredChange}, which the server turns into the tracker's signed webhook (webhooks.ts).
 */

export type StandInKind = 'jira' | 'linear' | 'github';

/** The workflow every generated source shares: Jira's default statuses, Linear's unstarted/started/completed states, GitHub's open/closed. */
export const STATUSES = ['To Do', 'In Progress', 'Done'] as const;
export type StandInStatus = (typeof STATUSES)[number];

/** A person issues are assigned to. */
export interface StandInPerson {
  name: string;
  email: string;
}

/** One issue, tracker-neutral. Times are UTC epoch ms; `due` is a calendar date `YYYY-MM-DD`. */
export interface StoredIssue {
  /** 1, 2, 3… within its source (Jira `LAUNCH-1`, Linear `ENG-1`, GitHub `#1`). */
  number: number;
  title: string;
  assignee: StandInPerson | null;
  due: string | null;
  /** Story points (Linear's estimate, Jira's story points field); Jira's original estimate is `points` × 4 h. */
  points: number | null;
  status: StandInStatus;
  /** 0 none, 1 highest … 4 lowest (Linear's numbering; Jira and GitHub name them). */
  priority: 0 | 1 | 2 | 3 | 4;
  /** Numbers of the issues of the same source that block this one. */
  blockedBy: number[];
  labels: string[];
  createdAt: number;
  updatedAt: number;
  comments: { body: string; at: number }[];
}

/** One generated source. */
export interface SourceSpec {
  kind: StandInKind;
  /** Jira project key (`LAUNCH`), Linear team key (`ENG`), GitHub `owner/repo` (`acme/launch`). */
  key: string;
  /** How many issues to generate. */
  count: number;
  /** Every issue carries this label (GitHub `label:` / Linear `label:` filters); absent: none. */
  label?: string;
}

/** A source in the store. */
export interface StoredSource extends SourceSpec {
  issues: StoredIssue[];
}

/** What changed, for the webhook. `before` is the issue as it was (absent for a new issue). */
export interface StoredChange {
  source: StoredSource;
  issue: StoredIssue;
  before: StoredIssue;
  fields: ('status' | 'assignee' | 'due' | 'comment')[];
}

/** What {@link TrackerStore.editIssue} can change; `null` clears the assignee or the due date. */
export interface IssueEdit {
  status?: StandInStatus;
  assigneeEmail?: string | null;
  due?: string | null;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same issues on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['Ship', 'Migrate', 'Review', 'Load-test', 'Document', 'Freeze', 'Wire up', 'Audit', 'Backfill', 'Sign off'];
const THINGS = [
  'the billing schema',
  'the broker feed',
  'the status page',
  'the rollback runbook',
  'SSO for partners',
  'the press kit',
  'the DNS cut-over',
  'the mobile release',
  'alerting rules',
  'the data export',
];
const DAY_MS = 86_400_000;

/** The generated people when the caller names none: `Person 1 <person1@example.com>`… */
export function defaultPeople(n = 8): StandInPerson[] {
  return Array.from({ length: n }, (_, i) => ({ name: `Person ${i + 1}`, email: `person${i + 1}@example.com` }));
}

/**
 * Generates `spec.count` issues: a title, one of `people` (every 7th unassigned), a due date between 5 days before
 * and 20 days after `nowMs` (UTC dates; every 5th has none), points 1–8, a status (about 1 in 4 done), a priority, and
 * for about 1 in 6 a blocker among the 10 issues before it. Same `seed` → same issues.
 */
export function generateIssues(spec: SourceSpec, seed: number, people: readonly StandInPerson[], nowMs: number): StoredIssue[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: spec.count }, (_, i): StoredIssue => {
    const number = i + 1;
    const roll = rnd();
    const status: StandInStatus = roll < 0.25 ? 'Done' : roll < 0.55 ? 'In Progress' : 'To Do';
    const created = nowMs - (spec.count - i) * 60_000 - 30 * DAY_MS;
    return {
      number,
      title: `${pick(VERBS)} ${pick(THINGS)} (${spec.key.split('/').pop()} ${number})`,
      assignee: number % 7 === 0 || people.length === 0 ? null : pick(people),
      due: number % 5 === 0 ? null : new Date(nowMs + Math.floor(rnd() * 26 - 5) * DAY_MS).toISOString().slice(0, 10),
      points: 1 + Math.floor(rnd() * 8),
      status,
      priority: Math.floor(rnd() * 5) as StoredIssue['priority'],
      blockedBy: number > 1 && rnd() < 1 / 6 ? [Math.max(1, number - 1 - Math.floor(rnd() * 10))] : [],
      labels: spec.label ? [spec.label] : [],
      createdAt: created,
      updatedAt: created + Math.floor(rnd() * DAY_MS),
      comments: [],
    };
  });
}

/** Options of a {@link TrackerStore}. */
export interface TrackerStoreOptions {
  sources: SourceSpec[];
  /** The generator's seed (default 21). */
  seed?: number;
  /** Assignees to draw from (default {@link defaultPeople}). */
  people?: StandInPerson[];
  /** The clock, UTC epoch ms (default Date.now): generated dates are around it; changes are stamped with it. */
  now?: () => number;
}

/** The stand-in's issues, by source; `changes` emits every change. */
export class TrackerStore {
  readonly sources: StoredSource[];
  readonly changes = new EventEmitter<{ change: [StoredChange] }>();
  readonly now: () => number;
  readonly people: StandInPerson[];

  constructor(opts: TrackerStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.people = opts.people ?? defaultPeople();
    const t = this.now();
    this.sources = opts.sources.map((spec, i) => ({ ...spec, issues: generateIssues(spec, (opts.seed ?? 21) * 1000 + i, this.people, t) }));
  }

  /** The source of `kind` whose key is `key` (case-insensitive), or undefined. */
  source(kind: StandInKind, key: string): StoredSource | undefined {
    return this.sources.find((s) => s.kind === kind && s.key.toLowerCase() === key.toLowerCase());
  }

  /** The first source of `kind`, or undefined. */
  firstOf(kind: StandInKind): StoredSource | undefined {
    return this.sources.find((s) => s.kind === kind);
  }

  /** The issue `number` of `source`, or undefined. */
  issue(source: StoredSource, number: number): StoredIssue | undefined {
    return source.issues[number - 1]?.number === number ? source.issues[number - 1] : source.issues.find((i) => i.number === number);
  }

  /**
   * The source and issue a key names: `LAUNCH-42` (Jira, Linear), `launch-42` or `acme/launch#42` (GitHub); a
   * source whose key matches in case wins over one that matches in another case.
   * @throws Error naming the key when no source holds it.
   */
  find(key: string): { source: StoredSource; issue: StoredIssue } {
    const m = /^(.+)[-#](\d+)$/.exec(key.trim());
    if (m) {
      const [, prefix, n] = m;
      // exact case first: Jira's `LAUNCH-4` and the GitHub repository `launch`'s `launch-4` are different issues
      for (const same of [(a: string, b: string) => a === b, (a: string, b: string) => a.toLowerCase() === b.toLowerCase()]) {
        for (const source of this.sources) {
          if (!same(source.key, prefix!) && !same(source.key.split('/').pop()!, prefix!)) continue;
          const issue = this.issue(source, Number(n));
          if (issue) return { source, issue };
        }
      }
    }
    throw new Error(`no issue ${key} in the tracker stand-in`);
  }

  /** Moves an issue to `status` (a shortcut for {@link editIssue}). @throws Error for an unknown key. */
  moveIssue(key: string, status: StandInStatus): StoredIssue {
    return this.editIssue(key, { status });
  }

  /**
   * Changes an issue as a person would in the tracker's UI, stamps `updatedAt` with now and emits the change (the
   * server then sends the webhook). Unchanged fields emit nothing.
   * @throws Error naming the key and the reason for an unknown key, status, assignee email, or a due that is not YYYY-MM-DD.
   */
  editIssue(key: string, edit: IssueEdit): StoredIssue {
    const { source, issue } = this.find(key);
    if (edit.status !== undefined && !STATUSES.includes(edit.status)) throw new Error(`${key}: status must be one of ${STATUSES.join(', ')} (got "${edit.status}")`);
    if (edit.due != null && !/^\d{4}-\d{2}-\d{2}$/.test(edit.due)) throw new Error(`${key}: due must be a date YYYY-MM-DD (got "${edit.due}")`);
    let assignee: StandInPerson | null | undefined;
    if (edit.assigneeEmail !== undefined) {
      assignee = edit.assigneeEmail === null ? null : this.people.find((p) => p.email.toLowerCase() === edit.assigneeEmail!.toLowerCase());
      if (assignee === undefined) throw new Error(`${key}: no person with the email ${edit.assigneeEmail} in the tracker stand-in`);
    }
    const before = { ...issue };
    const fields: StoredChange['fields'] = [];
    if (edit.status !== undefined && edit.status !== issue.status) {
      issue.status = edit.status;
      fields.push('status');
    }
    if (assignee !== undefined && assignee?.email !== issue.assignee?.email) {
      issue.assignee = assignee;
      fields.push('assignee');
    }
    if (edit.due !== undefined && edit.due !== issue.due) {
      issue.due = edit.due;
      fields.push('due');
    }
    if (fields.length > 0) this.#changed(source, issue, before, fields);
    return issue;
  }

  /** Adds a comment (plain text or markdown) and emits the change. @throws Error for an unknown key. */
  addComment(key: string, body: string): StoredIssue {
    const { source, issue } = this.find(key);
    const before = { ...issue };
    issue.comments.push({ body, at: this.now() });
    this.#changed(source, issue, before, ['comment']);
    return issue;
  }

  #changed(source: StoredSource, issue: StoredIssue, before: StoredIssue, fields: StoredChange['fields']): void {
    issue.updatedAt = Math.max(this.now(), before.updatedAt + 1);
    this.changes.emit('change', { source, issue, before, fields });
  }
}
