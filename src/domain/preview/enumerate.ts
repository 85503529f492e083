import { DateTime } from 'luxon';
import { afterStep, nextStep, quietUntil, stepOutcome, type EscalationPolicy, type LadderState, type QuietHours, type Roles, type Severity } from '../blockers/ladder.js';
import { isOutOfOffice, type MemberSlot, type Occurrence, type OutOfOffice } from '../checkins/schedule.js';
import { candidateDates, checkinDays, type PreviewCheckin } from './checkin-occurrences.js';
import { dstNote, dstNoteBetween } from './dst.js';
import { compareEvents, compareSkipped, type Preview, type PreviewEvent, type SkippedDay } from './events.js';
import { type CoverContext, coverRecipients, type NoDelegate } from '../people/cover.js';

/**
 * Whether a workstream holds check-ins on a local date (issue 9: `active: { from, until }`, `starts_when: { gate }`).
 * `detail` names the date or gate for the reader.
 */
export type WorkstreamActivity = { state: 'active' } | { state: 'not_started'; detail: string } | { state: 'ended'; detail: string } | { state: 'waiting'; detail: string };

/** A gate as the preview needs it. */
export interface PreviewGate {
  id: string;
  name: string;
  /** Due instant, UTC; null when the gate has no `due`. */
  dueAt: DateTime | null;
  signOff: readonly string[];
  /** From live state; `pending` when previewing from the config alone. */
  status: 'pending' | 'passed' | 'failed';
  /** The ladder a gate not signed off by its due time climbs (services/gonogo/gates.ts `gatePolicy`), from its due time. */
  ladder: EscalationPolicy;
  /** The severity its escalation is raised at (quiet hours may defer it unless listed in `quiet_hours.except`). */
  severity: Severity;
  /** Signers no delegate may cover on it (domain/people/cover.ts signersNotDelegated); absent: delegates cover. */
  noDelegate?: NoDelegate;
}

/** An open task with a due time (issue 10), as the preview needs it. */
export interface PreviewTask {
  id: string;
  title: string;
  workstreamId: string;
  owner: string;
  /** Due instant, UTC. */
  dueAt: DateTime;
  /**
   * The ladder of a task not done by its due time (services/tasks/escalate.ts `taskEscalation`, the rule the escalation
   * itself applies), from its due time; no steps when its escalation is already under way (then it is one of `blockers`).
   */
  ladder: EscalationPolicy;
  /** Where that ladder comes from, shown on the due line: `tasks.escalation`, `escalation.ladders.P0`, `the default P0 ladder`, `the default task ladder`. */
  ladderName: string;
  /** Who `lead` and `pm` are for its ladder (its workstream's leads, the PM). */
  roles: Roles;
  /** Its `requires` not done yet: the escalation waits for them (services/tasks/escalate.ts escalateTaskIfDue). */
  waitingFor: readonly string[];
  /** The severity its escalation is raised at: the task's priority (P1 when it writes none). */
  severity: Severity;
  /** Its page (a tracker issue, issue 21), shown on the due line; absent/null for none. */
  url?: string | null;
  /** A tracker assignee's email when no Slack user has it (issue 21): the due line says so (the ladder starts at the lead). */
  ownerUnmatched?: string | null;
}

/** A blocker open now, with its frozen policy and ladder position (live state only). */
export interface PreviewBlocker {
  id: number;
  severity: Severity;
  text: string;
  workstreamId: string;
  policy: EscalationPolicy;
  state: LadderState;
  roles: Roles;
  /** Recipients no delegate may cover (a gate's "not signed off" escalation without `delegate_may_sign`). */
  noDelegate?: NoDelegate;
}

/** A `/standup skip` recorded ahead of a check-in (live state). */
export interface RecordedSkip {
  userId: string;
  workstreamId: string;
  checkinId: string;
  /** Workstream-local date, YYYY-MM-DD. */
  localDate: string;
}

/** A run started early with `/standup start` (live state): it took its date's slot, so the scheduled one will not happen. */
export interface StartedRun {
  workstreamId: string;
  checkinId: string;
  /** Workstream-local date, YYYY-MM-DD. */
  localDate: string;
  startedBy: string;
}

/** Everything the preview is computed from: the config, resolved by services/preview, and the live state if any. */
export interface PreviewInput {
  programZone: string;
  programChannel: string;
  pm: string;
  checkins: readonly PreviewCheckin[];
  gates: readonly PreviewGate[];
  /** Open tasks with a due time; done tasks are left out (live state), all are open from the config alone. */
  tasks?: readonly PreviewTask[];
  /** `gonogo.at` as an instant, UTC; null when not set. */
  gonogoAt: DateTime | null;
  quietHours: (QuietHours & { except: readonly Severity[] }) | null;
  /** A person's IANA zone (their quiet hours, their local time). */
  zoneOf: (userId: string) => string;
  /** Who is on call at an instant, by rotation id, for `oncall:<id>` ladder levels (issue 22); absent or missing: nobody known. */
  oncallAt?: (at: DateTime) => Readonly<Record<string, readonly string[]>>;
  /**
   * When the run of a check-in occurrence opens and whom it prompts (user IDs), or null when it never opens: the
   * scheduler's own guard (services/workstreams/start-gates.ts `runOpening`). Absent: at its `openAt`, everyone.
   */
  opening?: (occ: Occurrence) => { at: DateTime; userIds: readonly string[] } | null;
  /**
   * Whether a workstream (or the program, `_program`) holds check-ins at an instant, on a workstream-local date:
   * the reason a line gives when `opening` leaves a run or a participant out, or opens it late. Absent: always.
   */
  activity?: (workstreamId: string, localDate: string, at: DateTime) => WorkstreamActivity;
  /** Live state; empty when previewing from the config alone. */
  outOfOffice: readonly OutOfOffice[];
  /** `program.delegates` (person → delegate): with `outOfOffice`, who covers an away recipient on a ladder (issue 22). Absent: none. */
  delegates?: Readonly<Record<string, string>>;
  skips: readonly RecordedSkip[];
  startedRuns: readonly StartedRun[];
  blockers: readonly PreviewBlocker[];
}

/** Narrows the preview to one workstream and/or one person (their DMs and the check-ins they take part in). */
export interface PreviewFilter {
  workstreamId?: string;
  userId?: string;
}

/** True when workstream-local `localDate` lies in the span (its day, in `zone`, overlaps [from, until)). */
function dateInSpan(localDate: string, zone: string, from: DateTime, until: DateTime): boolean {
  return localDate >= from.setZone(zone).toISODate()! && localDate <= until.minus({ milliseconds: 1 }).setZone(zone).toISODate()!;
}

const ACTIVITY_REASON = { not_started: 'not_active_yet', ended: 'ended', waiting: 'waiting_on_gate' } as const;

/**
 * A check-in's prompt, reminder and close for every participant, and its skipped days, as the scheduler runs them:
 * its run opens when `input.opening` says (the scheduler's guard, services/workstreams/start-gates.ts `runOpening`).
 * A run that never opens skips its date (a program check-in: each participant, with their workstream's reason); a
 * participant of a program check-in left out when it opens is skipped; a run that opens after its time prompts then
 * those already due (their reminder no earlier than the prompt), and skips those whose answer window has closed.
 */
function checkinEvents(input: PreviewInput, checkin: PreviewCheckin, from: DateTime, until: DateTime, filter: PreviewFilter, events: PreviewEvent[], skipped: SkippedDay[]): void {
  const { workstreamId, checkinId, plan } = checkin;
  if (filter.userId && !plan.members.some((m) => m.userId === filter.userId)) return;
  const label = `${checkin.workstreamName} · ${checkin.checkinName}`;
  const activityOf = (ws: string, date: string, at: DateTime) => input.activity?.(ws, date, at) ?? ({ state: 'active' } as const);
  const { first, last } = candidateDates(plan.zone, from, until);
  for (const day of checkinDays(checkin, first, last)) {
    const { localDate } = day;
    const inSpan = dateInSpan(localDate, plan.zone, from, until);
    if (day.occurrence === null) {
      if (inSpan) skipped.push({ localDate, workstreamId, checkinId, userId: null, reason: day.reason, detail: day.detail });
      continue;
    }
    const started = input.startedRuns.find((r) => r.workstreamId === workstreamId && r.checkinId === checkinId && r.localDate === localDate);
    if (started) {
      if (inSpan) skipped.push({ localDate, workstreamId, checkinId, userId: null, reason: 'started_early', detail: `started early by ${started.startedBy} (/standup start)` });
      continue;
    }
    const occ = day.occurrence;
    const opening = input.opening ? input.opening(occ) : { at: occ.openAt, userIds: occ.members.map((m) => m.userId) };
    // the workstream whose lifecycle decides for a participant: their section in a program check-in, else this one
    const whose = (slot: MemberSlot) => (checkin.program ? (slot.section ?? { id: workstreamId, name: checkin.workstreamName }) : null);
    if (!opening && !checkin.program) {
      const activity = activityOf(workstreamId, localDate, occ.openAt);
      if (inSpan && activity.state !== 'active') skipped.push({ localDate, workstreamId, checkinId, userId: null, reason: ACTIVITY_REASON[activity.state], detail: activity.detail });
      continue;
    }
    for (const slot of occ.members) {
      if (filter.userId && slot.userId !== filter.userId) continue;
      const inside = (at: DateTime) => at >= from && at < until;
      if (!inside(slot.promptAt) && !inside(slot.remindAt) && !inside(slot.closeAt)) continue;
      // a participant held back (out of office, skipped, their workstream not holding it) is listed once, on the day of their prompt
      const skip = (reason: SkippedDay['reason'], detail: string) => {
        if (inside(slot.promptAt)) skipped.push({ localDate, workstreamId, checkinId, userId: slot.userId, reason, detail });
      };
      // why the participant's workstream did not hold the check-in at `at` (null when it did)
      const inactive = (at: DateTime) => {
        const section = whose(slot);
        const a = activityOf(section?.id ?? workstreamId, localDate, at);
        return a.state === 'active' ? null : { reason: ACTIVITY_REASON[a.state], detail: section ? `${section.name}: ${a.detail}` : a.detail };
      };
      if (!opening?.userIds.includes(slot.userId)) {
        const why = inactive(opening?.at ?? occ.openAt);
        if (why) skip(why.reason, why.detail);
        continue;
      }
      // a run opened after this participant's window closed never prompts them
      if (slot.closeAt <= opening.at) {
        const why = inactive(slot.promptAt);
        if (why) skip(why.reason, `${why.detail} until after their answer window closed`);
        continue;
      }
      if (isOutOfOffice(slot.userId, localDate, input.outOfOffice)) {
        skip('out_of_office', 'out of office (/standup ooo)');
        continue;
      }
      if (input.skips.some((s) => s.userId === slot.userId && s.workstreamId === workstreamId && s.checkinId === checkinId && s.localDate === localDate)) {
        skip('skipped', 'skipped (/standup skip)');
        continue;
      }
      // a run opened late prompts at once whoever is already due, and the reminder goes no earlier than the prompt
      const promptAt = DateTime.max(slot.promptAt, opening.at);
      const remindAt = DateTime.max(slot.remindAt, promptAt);
      const late = promptAt > slot.promptAt ? inactive(slot.promptAt) : null;
      const base = { to: slot.userId, zone: slot.zone, workstreamId, checkinId, gateId: null, blockerId: null, localDate, window: null };
      const lines: PreviewEvent[] = [
        {
          ...base,
          at: promptAt,
          kind: 'checkin_prompt',
          summary: `${label}: prompt`,
          condition: late ? `opens late: at ${slot.promptAt.setZone(slot.zone).toFormat('HH:mm')}, ${late.detail}` : null,
          // the DST note is about the scheduled wall time, not about a late opening
          dst: dstNote(slot.promptAt.setZone(slot.zone).toISODate()!, slot.zone, plan.at, slot.promptAt),
          window: { remindAt, closeAt: slot.closeAt },
        },
        ...(remindAt < slot.closeAt
          ? [
              {
                ...base,
                at: remindAt,
                kind: 'checkin_reminder' as const,
                summary: `${label}: reminder`,
                condition: 'if not answered by then',
                dst: dstNoteBetween(slot.zone, slot.promptAt, remindAt, 'prompt'),
              },
            ]
          : []),
        { ...base, at: slot.closeAt, kind: 'checkin_close', summary: `${label}: answers close`, condition: null, dst: dstNoteBetween(slot.zone, slot.promptAt, slot.closeAt, 'prompt') },
      ];
      // each line in the span on its own instant (a reminder after the span's end is not listed, one before its start neither)
      events.push(...lines.filter((e) => inside(e.at)));
    }
  }
}

/**
 * The notices a ladder sends from `state` on, as events in [from, until): each level (and repeat) to its recipients,
 * a recipient in their quiet hours deferred to the end of them (severities in `quiet_hours.except` never are), as
 * services/blockers/escalate.ts does. At most 100 steps.
 */
function ladderEvents(
  input: PreviewInput,
  policy: EscalationPolicy,
  start: LadderState,
  roles: Roles,
  severity: Severity,
  from: DateTime,
  until: DateTime,
  make: (at: DateTime, to: string, level: number, attempt: number) => PreviewEvent,
  noDelegate?: NoDelegate,
): PreviewEvent[] {
  const out: PreviewEvent[] = [];
  let state = start;
  const cover: CoverContext = { spans: input.outOfOffice, delegates: input.delegates ?? {}, zoneOf: input.zoneOf };
  // after a step skipped because everyone was away, the next level goes at once (services/blockers/escalate.ts)
  let atOnce: DateTime | null = null;
  for (let i = 0; i < 100; i++) {
    let step = nextStep(policy, state);
    if (step && atOnce && step.attempt === 0 && step.dueAt > atOnce && !(state.snoozedUntil && state.snoozedUntil > atOnce)) step = { ...step, dueAt: atOnce };
    atOnce = null;
    if (!step || step.dueAt >= until) break;
    const stepRoles = input.oncallAt ? { ...roles, oncall: input.oncallAt(step.dueAt) } : roles;
    const outcome = stepOutcome(step, policy.ladder[step.level]!.notify, stepRoles, state.acknowledgedBy);
    // time off (issue 22): as the escalation decides it when the step fires
    const covered = coverRecipients(outcome.to, step.dueAt, cover, state.acknowledgedBy, noDelegate);
    const notes = covered.away.map((c) => plainNote(c.note!));
    for (const to of covered.to) {
      const zone = input.zoneOf(to);
      const exempt = !input.quietHours || input.quietHours.except.includes(severity);
      const at = (exempt ? null : quietUntil(step.dueAt, zone, input.quietHours ?? undefined)) ?? step.dueAt;
      const e = make(at, to, step.level, step.attempt);
      const mine = covered.away.filter((c) => c.by === to).map((c) => plainNote(c.note!));
      if (at >= from && at < until) out.push(mine.length ? { ...e, summary: `${e.summary} (🌴 ${mine.join('; ')})` } : e);
    }
    if (outcome.to.length && !covered.to.length) {
      atOnce = step.dueAt;
      const e = make(step.dueAt, outcome.to[0]!, step.level, step.attempt);
      if (step.dueAt >= from && step.dueAt < until) out.push({ ...e, to: null, summary: `${e.summary} skipped: ${notes.join('; ')}; the next level goes at once` });
    }
    state = afterStep(state, step, step.dueAt);
  }
  return out;
}

/** A cover note for the preview's plain text: "<@U0ANA>" → "U0ANA". */
const plainNote = (note: string) => note.replace(/<@([A-Z0-9]+)>/g, '$1');

/** A gate's due time and, if it is still not signed off then, its escalation notices. */
function gateEvents(input: PreviewInput, gate: PreviewGate, from: DateTime, until: DateTime): PreviewEvent[] {
  if (!gate.dueAt || gate.status !== 'pending') return [];
  const base = { workstreamId: null, checkinId: null, gateId: gate.id, blockerId: null, localDate: null, window: null };
  const out: PreviewEvent[] = [];
  if (gate.dueAt >= from && gate.dueAt < until) {
    const zone = input.programZone;
    out.push({
      ...base,
      at: gate.dueAt,
      kind: 'gate_due',
      to: null,
      zone,
      summary: `Gate “${gate.name}” due`,
      condition: null,
      dst: dstNote(gate.dueAt.setZone(zone).toISODate()!, zone, null, gate.dueAt),
    });
  }
  const state: LadderState = { raisedAt: gate.dueAt, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] };
  const roles: Roles = { leads: [], pm: input.pm, execs: [] };
  out.push(
    ...ladderEvents(
      input,
      gate.ladder,
      state,
      roles,
      gate.severity,
      from,
      until,
      (at, to, level) => {
        const zone = input.zoneOf(to);
        return {
          ...base,
          at,
          kind: 'gate_escalation',
          to,
          zone,
          summary: `Gate “${gate.name}” not signed off: escalation level ${level + 1}`,
          condition: 'if still not signed off',
          dst: dstNoteBetween(zone, gate.dueAt!, at, 'due time'),
        };
      },
      gate.noDelegate,
    ),
  );
  return out;
}

/**
 * A task's due time (a DM to nobody by itself; its line names the task's link and an owner not in Slack, issue 21)
 * and, if it is still not done then, its ladder's notices.
 */
function taskEvents(input: PreviewInput, task: PreviewTask, from: DateTime, until: DateTime): PreviewEvent[] {
  const base = { workstreamId: task.workstreamId, checkinId: null, gateId: null, taskId: task.id, blockerId: null, localDate: null, window: null };
  const out: PreviewEvent[] = [];
  if (task.dueAt >= from && task.dueAt < until) {
    const zone = input.zoneOf(task.owner);
    out.push({
      ...base,
      at: task.dueAt,
      kind: 'task_due',
      to: null,
      zone,
      summary: `Task ${task.id} “${task.title}”${task.url ? ` (${task.url})` : ''} due (ladder: ${task.ladderName})${task.ownerUnmatched ? `; owner not in Slack (${task.ownerUnmatched}): the lead is told from the first level` : ''}`,
      condition: null,
      dst: dstNote(task.dueAt.setZone(zone).toISODate()!, zone, null, task.dueAt),
    });
  }
  const condition = task.waitingFor.length ? `if still not done, and once ${task.waitingFor.join(', ')} done` : 'if still not done';
  const state: LadderState = { raisedAt: task.dueAt, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] };
  out.push(
    ...ladderEvents(input, task.ladder, state, task.roles, task.severity, from, until, (at, to, level) => {
      const zone = input.zoneOf(to);
      return {
        ...base,
        at,
        kind: 'task_escalation',
        to,
        zone,
        summary: `Task ${task.id} “${task.title}” not done: escalation level ${level + 1}`,
        condition,
        dst: dstNoteBetween(zone, task.dueAt, at, 'due time'),
      };
    }),
  );
  return out;
}

/** The go/no-go reminder (an hour before, to sign-off authorities of gates still pending) and the summary post. */
function gonogoEvents(input: PreviewInput, from: DateTime, until: DateTime): PreviewEvent[] {
  const at = input.gonogoAt;
  if (!at) return [];
  const base = { workstreamId: null, checkinId: null, gateId: null, blockerId: null, localDate: null, condition: null, window: null };
  const out: PreviewEvent[] = [];
  const reminderAt = at.minus({ hours: 1 });
  if (reminderAt >= from && reminderAt < until) {
    const people = [...new Set(input.gates.filter((g) => g.status === 'pending').flatMap((g) => g.signOff))];
    for (const to of people) {
      const zone = input.zoneOf(to);
      out.push({
        ...base,
        at: reminderAt,
        kind: 'gonogo_reminder',
        to,
        zone,
        summary: 'Go/no-go in an hour: reminder to sign off pending gates',
        dst: dstNote(reminderAt.setZone(zone).toISODate()!, zone, null, reminderAt),
      });
    }
  }
  if (at >= from && at < until) {
    const zone = input.programZone;
    out.push({ ...base, at, kind: 'gonogo_post', to: input.programChannel, zone, summary: 'Go/no-go summary posted', dst: dstNote(at.setZone(zone).toISODate()!, zone, null, at) });
  }
  return out;
}

/** The next ladder steps of a blocker open now, while it stays open. */
function blockerEvents(input: PreviewInput, b: PreviewBlocker, from: DateTime, until: DateTime): PreviewEvent[] {
  const short = b.text.length > 60 ? `${b.text.slice(0, 59)}…` : b.text;
  return ladderEvents(
    input,
    b.policy,
    b.state,
    b.roles,
    b.severity,
    from,
    until,
    (at, to, level, attempt) => {
      const zone = input.zoneOf(to);
      return {
        at,
        kind: 'blocker_escalation',
        to,
        zone,
        workstreamId: b.workstreamId,
        checkinId: null,
        gateId: null,
        blockerId: b.id,
        localDate: null,
        window: null,
        summary: `B-${b.id} (${b.severity}) “${short}”: escalation level ${level + 1}${attempt ? `, repeat ${attempt}` : ''}`,
        condition: 'if still open',
        dst: dstNoteBetween(zone, b.state.raisedAt, at, 'raise'),
      };
    },
    b.noDelegate,
  );
}

/**
 * Every event Preflight would produce in [from, until) (UTC instants), and every check-in date skipped in that span
 * with its reason. Pure: the config (resolved by services/preview) and the live state come in `input`.
 * - Check-in instants come from the scheduler's own occurrence function (checkin-occurrences.ts), per participant.
 * - Each open task's due time (naming its ladder) and its ladder steps (the owner, then its ladder's levels) if it is still not done.
 * - With `filter.workstreamId`: that workstream's check-ins and tasks, and the gates that unblock it. With `filter.userId`: that
 *   person's DMs and the check-ins they take part in (gate due times only for their gates; no channel posts).
 * @returns events sorted by instant (compareEvents), skipped days sorted by date (compareSkipped).
 */
export function previewEvents(input: PreviewInput, from: DateTime, until: DateTime, filter: PreviewFilter = {}, unblocks: (gateId: string) => readonly string[] = () => []): Preview {
  const events: PreviewEvent[] = [];
  const skipped: SkippedDay[] = [];
  for (const c of input.checkins) {
    if (filter.workstreamId && c.workstreamId !== filter.workstreamId) continue;
    checkinEvents(input, c, from, until, filter, events, skipped);
  }
  const gates = input.gates.filter((g) => !filter.workstreamId || unblocks(g.id).includes(filter.workstreamId));
  const other = [
    ...gates.flatMap((g) => gateEvents(input, g, from, until).filter((e) => !filter.userId || e.to === filter.userId || (e.kind === 'gate_due' && g.signOff.includes(filter.userId)))),
    ...(input.tasks ?? [])
      .filter((t) => !filter.workstreamId || t.workstreamId === filter.workstreamId)
      .flatMap((t) => taskEvents(input, t, from, until).filter((e) => !filter.userId || e.to === filter.userId || (e.kind === 'task_due' && t.owner === filter.userId))),
    ...(filter.workstreamId ? [] : gonogoEvents(input, from, until)),
    ...input.blockers.filter((b) => !filter.workstreamId || b.workstreamId === filter.workstreamId).flatMap((b) => blockerEvents(input, b, from, until)),
  ].filter((e) => !filter.userId || e.to === filter.userId || e.kind === 'gate_due' || e.kind === 'task_due');
  events.push(...other);
  return { from, until, programZone: input.programZone, events: events.sort(compareEvents), skipped: skipped.sort(compareSkipped) };
}
