import type { DateTime } from 'luxon';
import type { EscalationPolicy } from '../blockers/ladder.js';
import type { Preview, PreviewEvent, PreviewEventKind } from '../preview/events.js';

/*
 * "Plan before apply" (issue 20): what a new plan changes, compared with the plan running now. Both previews come
 * from the same engine (domain/preview/enumerate.ts) over the same span with the same live state, one per plan;
 * this file lists their differences, per person (their DMs), per workstream (check-ins, tasks) and for the program
 * (gates, the go/no-go post, ladders). Pure: no clock, no I/O.
 */

/** A task as the diff compares it (from a plan's `workstreams.<id>.tasks`). */
export interface PlanTask {
  id: string;
  title: string;
  workstreamId: string;
  owner: string;
  /** Its due instant, UTC (its `due` in the workstream's zone), or null without one. */
  dueAt: DateTime | null;
  /** The workstream's IANA zone (the zone its `due` is written in). */
  zone: string;
}

/** A gate as the diff compares it. */
export interface PlanGate {
  id: string;
  name: string;
  /** Its due instant, UTC, or null without one. */
  dueAt: DateTime | null;
  signOff: readonly string[];
}

/** A check-in as the diff compares it (a plan's resolved check-in setups). */
export interface PlanCheckin {
  /** The workstream id, or `_program` for a program check-in. */
  workstreamId: string;
  checkinId: string;
  /** "Web · Standup". */
  label: string;
  /** Local wall-clock time, "HH:MM", in `zone`. */
  at: string;
  /** The workstream's IANA zone. */
  zone: string;
  /** Participants' user IDs, in config order. */
  participants: readonly string[];
}

/** One plan, as the diff reads it: its preview and the parts of its config the preview does not show whole. */
export interface PlanSide {
  preview: Preview;
  checkins: readonly PlanCheckin[];
  tasks: readonly PlanTask[];
  gates: readonly PlanGate[];
  /**
   * The ladders new escalations climb, by name: `P0`…`P3` (a new blocker's policy by severity) and `tasks`
   * (`tasks.escalation`, null when not set: tasks then use their priority's).
   */
  ladders: Readonly<Record<string, EscalationPolicy | null>>;
  /** Everyone the plan names, user ID → IANA zone (domain/program/people.ts). */
  people: Readonly<Record<string, string>>;
}

/** How a thing changes. `moved`: same thing, other time; `re-owned` / `re-dated`: a task's owner / a task's or gate's due. */
export type PlanChangeKind = 'added' | 'removed' | 'moved' | 'changed' | 're-owned' | 're-dated';

/**
 * What changes:
 * - a DM to a person (grouped under them): `prompt`, `reminder`, `gonogo_reminder`, `gate_escalation`,
 *   `task_escalation`, `blocker_escalation`; `person` (someone the plan names from now on, or no longer);
 * - for a workstream: `checkin` (added, removed, its `at` moved, its participants changed), `task`;
 * - for the program: `gonogo_post`, `gate` (added, removed, re-dated with its escalation steps, sign-off changed),
 *   `ladder` (for new blockers only: one already open keeps the ladder frozen on it).
 */
export type PlanSubject = 'prompt' | 'reminder' | 'gonogo_reminder' | 'gonogo_post' | 'gate_escalation' | 'task_escalation' | 'blocker_escalation' | 'person' | 'checkin' | 'task' | 'gate' | 'ladder';

/** One escalation step of a gate or task, old → new (null: not in that plan's span). */
export interface PlanStep {
  to: string;
  /** The recipient's IANA zone. */
  zone: string;
  old: DateTime | null;
  new: DateTime | null;
}

/** One change the new plan makes. */
export interface PlanChange {
  change: PlanChangeKind;
  subject: PlanSubject;
  /** Whom it is about: the recipient of a DM, the person added or removed; null for workstream and program changes. */
  person: string | null;
  workstreamId: string | null;
  checkinId: string | null;
  gateId: string | null;
  taskId: string | null;
  blockerId: number | null;
  /** The check-in's workstream-local date (YYYY-MM-DD), for prompts and reminders. */
  localDate: string | null;
  /** The IANA zone `old` and `new` are read in: the recipient's (a DM), the workstream's, the program's. */
  zone: string;
  /** When, in the running plan and in the new one (UTC); null when not in that plan or not timed. */
  old: DateTime | null;
  new: DateTime | null;
  /** What changes besides a time, as written: an owner, a check-in's `at` ("10:00"), a ladder, participants, a title. */
  oldValue: string | null;
  newValue: string | null;
  /** One human line naming the thing: "Web · Standup: prompt", "Task O-3 “Email”", "Gate “QA sign-off”". */
  summary: string;
  /** For a re-dated gate or task: its escalation steps within the span, old → new. */
  steps?: PlanStep[];
  /** A condition or note: "if not answered by then", "for new blockers only". */
  note: string | null;
}

/** The diff of two plans over one span. */
export interface PlanDiff {
  /** The span compared, UTC, [from, until). */
  from: DateTime;
  until: DateTime;
  programZone: string;
  /** Person changes first (by user ID), then workstream changes (by workstream id), then the program's; each by time. */
  changes: PlanChange[];
}

const DM_SUBJECT: Partial<Record<PreviewEventKind, PlanSubject>> = {
  checkin_prompt: 'prompt',
  checkin_reminder: 'reminder',
  gonogo_reminder: 'gonogo_reminder',
  gonogo_post: 'gonogo_post',
  gate_escalation: 'gate_escalation',
  task_escalation: 'task_escalation',
  blocker_escalation: 'blocker_escalation',
};

/**
 * The identity of an event across the two plans, without its time: a prompt or reminder is the same when its
 * workstream, check-in, recipient and local date are (issue 20's "move"); an escalation step by its gate, task or
 * blocker, recipient and level (its summary); the go/no-go posts by recipient. Null for what is not diffed as an
 * event: answer-window closes (part of the prompt's change), gate and task due times (the gate and task changes).
 */
function eventKey(e: PreviewEvent): string | null {
  switch (e.kind) {
    case 'checkin_prompt':
    case 'checkin_reminder':
      return `${e.kind}|${e.workstreamId}|${e.checkinId}|${e.to}|${e.localDate}`;
    case 'gonogo_reminder':
    case 'gonogo_post':
      return `${e.kind}|${e.to}`;
    // the summary names the ladder level (and repeat): level 1 to the owner is not level 2 to the same person
    case 'gate_escalation':
      return `${e.kind}|${e.gateId}|${e.to}|${e.summary}`;
    case 'task_escalation':
      return `${e.kind}|${e.taskId}|${e.to}|${e.summary}`;
    case 'blocker_escalation':
      return `${e.kind}|${e.blockerId}|${e.to}|${e.summary}`;
    default:
      return null;
  }
}

/** Events by key, each list in time order (the n-th of a key in one plan pairs with the n-th in the other). */
function byKey(events: readonly PreviewEvent[]): Map<string, PreviewEvent[]> {
  const out = new Map<string, PreviewEvent[]>();
  for (const e of events) {
    const key = eventKey(e);
    if (key) out.set(key, [...(out.get(key) ?? []), e]);
  }
  return out;
}

/** The label of a preview event without its trailing ": prompt" / ": reminder". */
function labelOf(e: PreviewEvent): string {
  return e.summary.replace(/: (prompt|reminder)$/, '');
}

/** Two optional instants are the same instant. */
function same(a: DateTime | null | undefined, b: DateTime | null | undefined): boolean {
  return (a?.toMillis() ?? null) === (b?.toMillis() ?? null);
}

/** The DM and channel-post changes: events of one plan without a match in the other, and matched ones at another time. */
function eventChanges(old: Preview, next: Preview): PlanChange[] {
  const a = byKey(old.events);
  const b = byKey(next.events);
  const out: PlanChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const olds = a.get(key) ?? [];
    const news = b.get(key) ?? [];
    for (let i = 0; i < Math.max(olds.length, news.length); i++) {
      const o = olds[i];
      const n = news[i];
      const e = (n ?? o)!;
      const subject = DM_SUBJECT[e.kind]!;
      const closeChanged = e.kind === 'checkin_prompt' && o && n && !same(o.window?.closeAt, n.window?.closeAt);
      if (o && n && same(o.at, n.at) && !closeChanged && o.zone === n.zone) continue;
      const change: PlanChangeKind = !o ? 'added' : !n ? 'removed' : same(o.at, n.at) ? 'changed' : 'moved';
      const local = (t: DateTime | undefined, zone: string) => (t ? t.setZone(zone).toFormat('HH:mm') : null);
      out.push({
        change,
        subject,
        person: subject === 'gonogo_post' ? null : e.to,
        workstreamId: e.workstreamId,
        checkinId: e.checkinId,
        gateId: e.gateId,
        taskId: e.taskId ?? null,
        blockerId: e.blockerId,
        localDate: e.localDate,
        zone: e.zone,
        old: o?.at ?? null,
        new: n?.at ?? null,
        // a prompt's change also says when its answers close, old → new
        oldValue: e.kind === 'checkin_prompt' ? local(o?.window?.closeAt, o?.zone ?? e.zone) : null,
        newValue: e.kind === 'checkin_prompt' ? local(n?.window?.closeAt, e.zone) : null,
        summary: labelOf(e),
        note: e.condition,
      });
    }
  }
  return out;
}

/** A change with every optional field empty: the caller sets what it is about. */
function blank(change: PlanChangeKind, subject: PlanSubject, zone: string, summary: string): PlanChange {
  return {
    change,
    subject,
    person: null,
    workstreamId: null,
    checkinId: null,
    gateId: null,
    taskId: null,
    blockerId: null,
    localDate: null,
    zone,
    old: null,
    new: null,
    oldValue: null,
    newValue: null,
    summary,
    note: null,
  };
}

/** People named by one plan only. */
function peopleChanges(old: PlanSide, next: PlanSide): PlanChange[] {
  const out: PlanChange[] = [];
  for (const id of Object.keys(old.people)) {
    if (!(id in next.people)) out.push({ ...blank('removed', 'person', old.people[id]!, `${id} is no longer in the plan: no more prompts or reminders`), person: id });
  }
  for (const id of Object.keys(next.people)) {
    if (!(id in old.people)) out.push({ ...blank('added', 'person', next.people[id]!, `${id} joins the plan: first prompt at their next check-in`), person: id });
  }
  return out;
}

/** Check-ins added, removed, moved (`at`) or with other participants. */
function checkinChanges(old: PlanSide, next: PlanSide): PlanChange[] {
  const key = (c: PlanCheckin) => `${c.workstreamId}|${c.checkinId}`;
  const a = new Map(old.checkins.map((c) => [key(c), c]));
  const b = new Map(next.checkins.map((c) => [key(c), c]));
  const out: PlanChange[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const o = a.get(k);
    const n = b.get(k);
    const c = (n ?? o)!;
    const base = { workstreamId: c.workstreamId, checkinId: c.checkinId };
    if (!o || !n) {
      out.push({ ...blank(o ? 'removed' : 'added', 'checkin', c.zone, c.label), ...base, [o ? 'oldValue' : 'newValue']: c.at });
      continue;
    }
    if (o.at !== n.at || o.zone !== n.zone)
      out.push({ ...blank('moved', 'checkin', n.zone, n.label), ...base, oldValue: o.at, newValue: n.at, note: o.zone !== n.zone ? `zone ${o.zone} → ${n.zone}` : null });
    if (o.participants.join(',') !== n.participants.join(',')) {
      out.push({ ...blank('changed', 'checkin', n.zone, `${n.label}: participants`), ...base, oldValue: o.participants.join(', '), newValue: n.participants.join(', ') });
    }
  }
  return out;
}

/** The escalation steps of one gate or task in both previews, paired by recipient and order. */
function stepsOf(old: Preview, next: Preview, kind: 'gate_escalation' | 'task_escalation', id: string): PlanStep[] {
  const mine = (p: Preview) => p.events.filter((e) => e.kind === kind && (kind === 'gate_escalation' ? e.gateId === id : e.taskId === id));
  const a = byKey(mine(old));
  const b = byKey(mine(next));
  const steps: PlanStep[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const olds = a.get(key) ?? [];
    const news = b.get(key) ?? [];
    for (let i = 0; i < Math.max(olds.length, news.length); i++) {
      const e = (news[i] ?? olds[i])!;
      steps.push({ to: e.to!, zone: e.zone, old: olds[i]?.at ?? null, new: news[i]?.at ?? null });
    }
  }
  return steps.sort((x, y) => ((x.new ?? x.old)?.toMillis() ?? 0) - ((y.new ?? y.old)?.toMillis() ?? 0) || x.to.localeCompare(y.to));
}

/** Tasks added, removed, re-owned, re-dated, renamed or moved to another workstream. */
function taskChanges(old: PlanSide, next: PlanSide): PlanChange[] {
  const a = new Map(old.tasks.map((t) => [t.id, t]));
  const b = new Map(next.tasks.map((t) => [t.id, t]));
  const out: PlanChange[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const o = a.get(id);
    const n = b.get(id);
    const t = (n ?? o)!;
    const summary = `Task ${t.id} “${t.title}”`;
    const base = { workstreamId: t.workstreamId, taskId: t.id };
    const zone = t.zone;
    if (!o || !n) {
      out.push({ ...blank(o ? 'removed' : 'added', 'task', zone, summary), ...base, [o ? 'old' : 'new']: t.dueAt, [o ? 'oldValue' : 'newValue']: t.owner });
      continue;
    }
    if (o.owner !== n.owner) out.push({ ...blank('re-owned', 'task', zone, summary), ...base, oldValue: o.owner, newValue: n.owner });
    if (!same(o.dueAt, n.dueAt)) out.push({ ...blank('re-dated', 'task', zone, summary), ...base, old: o.dueAt, new: n.dueAt, steps: stepsOf(old.preview, next.preview, 'task_escalation', id) });
    if (o.title !== n.title) out.push({ ...blank('changed', 'task', zone, summary), ...base, oldValue: o.title, newValue: n.title, note: 'title' });
    if (o.workstreamId !== n.workstreamId) out.push({ ...blank('changed', 'task', zone, summary), ...base, oldValue: o.workstreamId, newValue: n.workstreamId, note: 'workstream' });
  }
  return out;
}

/** Gates added, removed, re-dated (with their escalation steps) or with other sign-off authorities. */
function gateChanges(old: PlanSide, next: PlanSide, zone: string): PlanChange[] {
  const a = new Map(old.gates.map((g) => [g.id, g]));
  const b = new Map(next.gates.map((g) => [g.id, g]));
  const out: PlanChange[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const o = a.get(id);
    const n = b.get(id);
    const g = (n ?? o)!;
    const summary = `Gate “${g.name}”`;
    const steps = () => stepsOf(old.preview, next.preview, 'gate_escalation', id);
    if (!o || !n) {
      out.push({ ...blank(o ? 'removed' : 'added', 'gate', zone, summary), gateId: id, [o ? 'old' : 'new']: g.dueAt, steps: steps() });
      continue;
    }
    if (!same(o.dueAt, n.dueAt)) out.push({ ...blank('re-dated', 'gate', zone, summary), gateId: id, old: o.dueAt, new: n.dueAt, steps: steps() });
    if (o.signOff.join(',') !== n.signOff.join(','))
      out.push({ ...blank('changed', 'gate', zone, `${summary}: sign-off`), gateId: id, oldValue: o.signOff.join(', '), newValue: n.signOff.join(', ') });
  }
  return out;
}

/** A ladder in one line: "15 min: lead → 30 min: pm → 60 min: U0EXEC; repeat every 30 min ×3; until resolved". */
export function describeLadder(policy: EscalationPolicy | null): string | null {
  if (!policy) return null;
  const min = (ms: number) => `${Math.round(ms / 60_000)} min`;
  const levels = policy.ladder.map((l) => `${min(l.afterMs)}: ${Array.isArray(l.notify) ? l.notify.join(', ') : l.notify}`).join(' → ');
  const repeat = policy.repeat ? `; repeat every ${min(policy.repeat.everyMs)} ×${policy.repeat.max}` : '';
  return `${levels}${repeat}; until ${policy.stopWhen}`;
}

/** Ladders whose levels, repeat or stop rule differ: they apply to new blockers only (an open one keeps its frozen ladder). */
function ladderChanges(old: PlanSide, next: PlanSide, zone: string): PlanChange[] {
  const out: PlanChange[] = [];
  for (const name of new Set([...Object.keys(old.ladders), ...Object.keys(next.ladders)])) {
    const o = describeLadder(old.ladders[name] ?? null);
    const n = describeLadder(next.ladders[name] ?? null);
    if (o === n) continue;
    const change = o === null ? 'added' : n === null ? 'removed' : 'changed';
    const label = name === 'tasks' ? 'tasks.escalation ladder' : `${name} ladder`;
    out.push({ ...blank(change, 'ladder', zone, label), oldValue: o, newValue: n, note: 'for new blockers only' });
  }
  return out;
}

const SECTION_ORDER = (c: PlanChange) => (c.person !== null ? 0 : c.workstreamId !== null ? 1 : 2);

/** Orders changes: people, then workstreams, then the program; within each by whom, then time, then subject. */
function compareChanges(a: PlanChange, b: PlanChange): number {
  const when = (c: PlanChange) => (c.new ?? c.old)?.toMillis() ?? Number.MAX_SAFE_INTEGER;
  return (
    SECTION_ORDER(a) - SECTION_ORDER(b) ||
    (a.person ?? '').localeCompare(b.person ?? '') ||
    (a.workstreamId ?? '').localeCompare(b.workstreamId ?? '') ||
    (a.subject === 'person' ? -1 : 0) - (b.subject === 'person' ? -1 : 0) ||
    when(a) - when(b) ||
    a.subject.localeCompare(b.subject) ||
    a.summary.localeCompare(b.summary)
  );
}

/**
 * What `next` changes compared with `running` (issue 20, "Plan before apply"): prompts and reminders added, removed
 * and moved per person (a move: same workstream, check-in, person and local date at another time; the prompt's
 * change also carries the close of its answer window, `oldValue`/`newValue` as local "HH:MM"), go/no-go reminders
 * and post, escalation steps of gates, tasks and open blockers, people added or removed, check-ins added, removed,
 * moved or with other participants, tasks added, removed, re-owned, re-dated (with their escalation steps in the
 * span) or renamed, gates added, removed, re-dated (with their steps) or with other sign-off, and ladders changed
 * (for new blockers only). Events are compared within the previews' span; tasks, gates, check-ins, people and
 * ladders whatever their date.
 * @param running the plan running now; @param next the new plan: both previews built over the same span with the
 * same live state (services/plan/compare.ts).
 * @returns the changes sorted people first (by user ID), then workstreams, then the program; empty when nothing changes.
 */
export function diffPlans(running: PlanSide, next: PlanSide): PlanDiff {
  const zone = next.preview.programZone;
  const changes = [
    ...eventChanges(running.preview, next.preview),
    ...peopleChanges(running, next),
    ...checkinChanges(running, next),
    ...taskChanges(running, next),
    ...gateChanges(running, next, zone),
    ...ladderChanges(running, next, zone),
  ];
  return { from: next.preview.from, until: next.preview.until, programZone: zone, changes: changes.sort(compareChanges) };
}
