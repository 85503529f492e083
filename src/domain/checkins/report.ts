import type { DateTime } from 'luxon';
import type { Question } from '../program/questions.js';
import { blockersOf, riskOf, type Answers, type Risk } from './answers.js';

/**
 * Where a member stands in a run:
 * waiting (prompted, no complete answer yet) · answered · late (answered after close) ·
 * skipped (/standup skip) · ooo (out of office) · no_answer (the run closed without an answer).
 */
export type MemberState = 'waiting' | 'answered' | 'late' | 'skipped' | 'ooo' | 'no_answer';
export type RunStatus = 'open' | 'closed' | 'missed';

export interface ReportMember {
  userId: string;
  state: MemberState;
  answers?: Answers;
  edited?: boolean;
  /** A program check-in's section (the workstream the member is shown under); null/absent otherwise. */
  section?: string | null;
}

/** One check-in of the day in the same report channel, for the index on the day's first report. */
export interface DayIndexEntry {
  /** "Omega · Checkpoint 13:00" style: workstream name and check-in name. */
  workstreamName: string;
  checkinName: string;
  status: RunStatus;
  /** When it opened, local wall-clock "HH:MM" in its zone. */
  openAtLocal: string;
  /** True for the run this report is about. */
  current: boolean;
}

export interface ReportInput {
  workstreamName: string;
  /** The check-in's display name; default "Standup". */
  checkinName?: string;
  /** On the day's first report in a channel shared by several check-ins: every check-in of that day there. */
  dayIndex?: readonly DayIndexEntry[];
  localDate: string;
  zone: string;
  status: RunStatus;
  openAt: DateTime;
  closeAt: DateTime;
  questions: readonly Question[];
  members: readonly ReportMember[];
  /** Still-open blockers of the workstream raised before this run (carried over), oldest first. */
  carriedOver?: readonly CarriedBlocker[];
  /** The check-in's `expects` (task ids): how many, and those not done yet (the report leads with them). */
  expected?: ExpectedTasks;
}

/** A check-in's expected tasks (config `expects`): the count, and the ones not done with owner and last percent. */
export interface ExpectedTasks {
  total: number;
  /** `url`: the task's page (issue 21); `ownerUnmatched`: its tracker assignee's email when not in Slack. */
  notDone: readonly { id: string; title: string; owner: string; progress: number; url?: string | null; ownerUnmatched?: string | null }[];
}

/** A still-open blocker shown in a later standup report. `raisedAt` is Unix seconds. */
export interface CarriedBlocker {
  id: number;
  severity: string;
  text: string;
  raisedAt: number;
  owner: string | null;
}

/**
 * What a closed report keeps as it stood at the close: the expected tasks not done and the blockers carried over.
 * JSON-safe (stored in `standup_runs.report_frozen`); `expected` is null when the check-in expects no task.
 */
export interface FrozenReportLists {
  expected: ExpectedTasks | null;
  carriedOver: CarriedBlocker[];
}

export interface ReportEntry {
  userId: string;
  /** The member's section in a program check-in's report, else null. */
  section: string | null;
  risk: Risk | null;
  late: boolean;
  edited: boolean;
  fields: { questionId: string; label: string; value: string }[];
}

/** One workstream's part of a program check-in's report. */
export interface ReportSection {
  name: string;
  answered: number;
  /** Prompted members of the section, less those who skipped or are out of office. */
  expected: number;
  /** User ids of the section's members who have not answered, in prompt order. */
  notAnswered: string[];
}

/** What a standup report says, independent of Block Kit: the blocks builder lays it out. */
export interface ReportModel {
  workstreamName: string;
  checkinName: string;
  /**
   * Program check-ins: every section (workstream) in order with its counts and who in it has not answered
   * (waiting while open, no_answer once closed), also a section nobody answered for; empty for a workstream's report.
   */
  sections: ReportSection[];
  /** The day's check-ins in this channel, on the day's first report (empty when it is the only one). */
  dayIndex: DayIndexEntry[];
  localDate: string;
  /** The run's IANA zone (its workstream's): the report channel's, in which the fallbacks of its times are written. */
  zone: string;
  status: RunStatus;
  /** Close time in the workstream's zone, e.g. "12:00 EST". */
  closesAtLocal: string;
  counts: { expected: number; answered: number; waiting: number; skipped: number; ooo: number; noAnswer: number };
  blockers: { userId: string; text: string }[];
  /** Red before yellow; green is not a flag. */
  flags: { userId: string; risk: 'red' | 'yellow' }[];
  /** Members who were prompted and have not answered (waiting while open, no_answer once closed). */
  notAnswered: string[];
  skipped: string[];
  ooo: string[];
  entries: ReportEntry[];
  carriedOver: CarriedBlocker[];
  expected?: ExpectedTasks | null;
}

const LABELS: Record<string, string> = {
  yesterday: '✅ Yesterday',
  today: '🎯 Today',
  blockers: '🚧 Blockers',
  progress: '📊 Progress',
  risk: '🚦 Risk',
};

/** Short label for a question: the seed-004 template's labels for the default ids, else the id in words. */
export function questionLabel(q: Question): string {
  return LABELS[q.id] ?? q.id.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function display(q: Question, v: Answers[string] | undefined): string | null {
  if (v === undefined || v === '') return null;
  if (q.kind === 'percent') return `${v}%`;
  if (q.kind === 'risk') return v === 'red' ? '🔴 red' : v === 'yellow' ? '🟡 yellow' : '🟢 green';
  return String(v);
}

/**
 * Builds the report for one run: blockers first, then red/yellow flags, then who has not answered,
 * then every answer in config order (late answers marked).
 */
export function buildReport(input: ReportInput): ReportModel {
  const answeredStates: MemberState[] = ['answered', 'late'];
  const count = (s: MemberState) => input.members.filter((m) => m.state === s).length;
  const blockers: ReportModel['blockers'] = [];
  const flags: ReportModel['flags'] = [];
  const entries: ReportEntry[] = [];
  for (const m of input.members) {
    if (!answeredStates.includes(m.state) || !m.answers) continue;
    for (const text of blockersOf(input.questions, m.answers)) blockers.push({ userId: m.userId, text });
    const risk = riskOf(input.questions, m.answers);
    if (risk === 'red' || risk === 'yellow') flags.push({ userId: m.userId, risk });
    entries.push({
      userId: m.userId,
      section: m.section ?? null,
      risk,
      late: m.state === 'late',
      edited: Boolean(m.edited),
      fields: input.questions.flatMap((q) => {
        const value = display(q, m.answers![q.id]);
        return value === null ? [] : [{ questionId: q.id, label: questionLabel(q), value }];
      }),
    });
  }
  flags.sort((a, b) => (a.risk === b.risk ? 0 : a.risk === 'red' ? -1 : 1));
  const ids = (s: MemberState) => input.members.filter((m) => m.state === s).map((m) => m.userId);
  const sections: ReportModel['sections'] = [];
  for (const m of input.members) {
    if (!m.section) continue;
    let s = sections.find((x) => x.name === m.section);
    if (!s) {
      s = { name: m.section, answered: 0, expected: 0, notAnswered: [] };
      sections.push(s);
    }
    if (m.state !== 'skipped' && m.state !== 'ooo') s.expected++;
    if (answeredStates.includes(m.state)) s.answered++;
    if (m.state === 'waiting' || m.state === 'no_answer') s.notAnswered.push(m.userId);
  }
  // entries grouped by section (in the order sections first appear), members' order kept within one
  if (sections.length) entries.sort((a, b) => sections.findIndex((s) => s.name === a.section) - sections.findIndex((s) => s.name === b.section));
  return {
    workstreamName: input.workstreamName,
    checkinName: input.checkinName ?? 'Standup',
    sections,
    dayIndex: input.dayIndex && input.dayIndex.length > 1 ? [...input.dayIndex] : [],
    localDate: input.localDate,
    zone: input.zone,
    status: input.status,
    closesAtLocal: input.closeAt.setZone(input.zone).toFormat('HH:mm ZZZZ'),
    counts: {
      expected: input.members.filter((m) => m.state !== 'skipped' && m.state !== 'ooo').length,
      answered: count('answered') + count('late'),
      waiting: count('waiting'),
      skipped: count('skipped'),
      ooo: count('ooo'),
      noAnswer: count('no_answer'),
    },
    blockers,
    flags,
    notAnswered: [...ids('waiting'), ...ids('no_answer')],
    skipped: ids('skipped'),
    ooo: ids('ooo'),
    entries,
    carriedOver: [...(input.carriedOver ?? [])],
    expected: input.expected && input.expected.total > 0 ? input.expected : null,
  };
}
