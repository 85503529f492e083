import type { CheckinDeclaration as CheckinConfig, ProgramDeclaration as WorkspaceConfig, WorkstreamDeclaration as WorkstreamConfig } from '../program/declaration.js';
import { personOf } from '../program/people.js';
import type { Question } from '../program/questions.js';
import { workstreamZone } from '../program/zones.js';
import type { PlanMember, StandupPlan } from './schedule.js';
import { parseDays } from './days.js';
import { checkinWindows } from './windows.js';

/**
 * The reserved workstream key of program check-ins (`program.checkins`): their runs are keyed
 * (`_program`, check-in id, program-local date). Workstream ids cannot start with `_` (config slug), so it never
 * collides with one.
 */
export const PROGRAM_WORKSTREAM = '_program';

/** The id of the check-in a `standup:` key (program or workstream) means. */
export const STANDUP_CHECKIN = 'standup';

/** One check-in of a workstream (or of the program) with every default applied: what the scheduler runs. */
export interface CheckinSetup {
  /** The workstream id, or {@link PROGRAM_WORKSTREAM}. */
  workstreamId: string;
  checkinId: string;
  /** The check-in's display name ("Standup", "Mid-day checkpoint"). */
  checkinName: string;
  /** The workstream's name, or the program's name for a program check-in. */
  name: string;
  /** The report channel: the workstream's channel, or `program.channel`. */
  channel: string;
  zone: string;
  /** Who may `/standup start` it besides the PM: the workstream's leads; none for a program check-in. */
  leads: string[];
  questions: Question[];
  /** True for a program check-in: one report with a section per workstream. */
  program: boolean;
  plan: StandupPlan;
}

/** "mid-day_checkpoint" → "Mid day checkpoint": the default display name of a check-in. */
export function checkinNameOf(id: string): string {
  return id.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

const idOf = (m: WorkstreamConfig['members'][number]) => (typeof m === 'string' ? m : m.id);

/**
 * Resolves `participants` to people, in the order written, each once.
 * Workstream check-ins: `members` (default), `leads`, a group of `program.groups`, user IDs.
 * Program check-ins: `all_members` (default), `all_leads`, groups, user IDs; each person carries their section
 * (the first workstream listing them as member or lead, else the program itself).
 * A person's zone is their own member override (here, else in the people directory: domain/program/people.ts), else
 * the workstream's (the program's for a program check-in).
 */
export function participantsOf(config: WorkspaceConfig, workstreamId: string | null, tokens: readonly string[]): PlanMember[] {
  const out: PlanMember[] = [];
  const seen = new Set<string>();
  const ws = workstreamId ? config.workstreams[workstreamId] : undefined;
  const zone = workstreamId ? workstreamZone(config, workstreamId) : config.program.timezone;
  const add = (userId: string, ownZone?: string, section?: { id: string; name: string }) => {
    if (seen.has(userId)) return;
    seen.add(userId);
    const person = personOf(config, userId);
    const member: PlanMember = { userId, zone: ownZone ?? person.ownZone ?? zone };
    // in a program check-in everyone has a section: their workstream, else the program itself (a PM, an exec)
    if (!ws) member.section = section ?? person.home ?? { id: PROGRAM_WORKSTREAM, name: config.program.name };
    out.push(member);
  };
  for (const token of tokens) {
    if (token === 'members' && ws) for (const m of ws.members) add(idOf(m), typeof m === 'string' ? undefined : m.timezone);
    else if (token === 'leads' && ws) for (const l of ws.leads) add(l);
    else if (token === 'all_members' || token === 'all_leads') {
      for (const [id, w] of Object.entries(config.workstreams)) {
        const section = { id, name: w.name };
        if (token === 'all_leads') for (const l of w.leads) add(l, undefined, section);
        else for (const m of w.members) add(idOf(m), typeof m === 'string' ? undefined : m.timezone, section);
      }
    } else if (config.program.groups[token]) for (const u of config.program.groups[token]) add(u);
    else if (/^[UW][A-Z0-9]{2,}$/.test(token)) add(token);
  }
  return out;
}

/** A check-in's setup before its window is known: its own `close_after` (if any) and the default it takes otherwise. */
interface Unwindowed {
  setup: CheckinSetup;
  ownCloseAfterMs: number | undefined;
  defaultCloseAfterMs: number;
}

function setupOf(config: WorkspaceConfig, workstreamId: string | null, c: CheckinConfig): Unwindowed {
  const ws = workstreamId ? config.workstreams[workstreamId]! : undefined;
  const zone = workstreamId ? workstreamZone(config, workstreamId) : config.program.timezone;
  const d = config.checkins;
  const days = parseDays(c.days ?? d.days ?? config.calendar.workdays, config.calendar.holidays);
  const key = workstreamId ?? PROGRAM_WORKSTREAM;
  const defaultCloseAfterMs = d.close_after ?? config.standup.close_after;
  const setup: CheckinSetup = {
    workstreamId: key,
    checkinId: c.id,
    checkinName: c.name ?? checkinNameOf(c.id),
    name: ws?.name ?? config.program.name,
    channel: ws?.channel ?? config.program.channel,
    zone,
    leads: ws?.leads ?? [],
    questions: c.questions ?? d.questions ?? config.standup.questions,
    program: !ws,
    plan: {
      workstreamId: key,
      checkinId: c.id,
      zone,
      at: c.at,
      remindAfterMs: c.remind_after ?? d.remind_after ?? config.standup.remind_after,
      // until its workstream's next check-in for the same people, at most the default: see withWindows
      closeAfterMs: c.close_after ?? defaultCloseAfterMs,
      workdays: days.weekdays,
      holidays: days.holidays,
      dates: days.dates,
      ranges: days.ranges,
      members: participantsOf(config, workstreamId, c.participants ?? [ws ? 'members' : 'all_members']),
    },
  };
  return { setup, ownCloseAfterMs: c.close_after, defaultCloseAfterMs };
}

/** The `standup` check-in of a workstream (its `standup:` overrides, else the program's `standup:` defaults). */
function standupOf(config: WorkspaceConfig, workstreamId: string): Unwindowed {
  const ws = config.workstreams[workstreamId]!;
  const s = ws.standup ?? {};
  const { setup } = setupOf(config, workstreamId, { id: STANDUP_CHECKIN, at: s.at ?? config.standup.at, participants: ['members'] });
  return {
    setup: {
      ...setup,
      checkinName: 'Standup',
      questions: s.questions ?? config.standup.questions,
      plan: {
        ...setup.plan,
        remindAfterMs: s.remind_after ?? config.standup.remind_after,
        closeAfterMs: s.close_after ?? config.standup.close_after,
        workdays: config.calendar.workdays,
        holidays: config.calendar.holidays,
        dates: [],
        ranges: [],
      },
    },
    ownCloseAfterMs: s.close_after,
    defaultCloseAfterMs: config.standup.close_after,
  };
}

/**
 * The check-ins of one workstream (or of the program) with their answer windows (domain/checkins/windows.ts
 * `checkinWindows`): a check-in without its own `close_after` closes when the next one for the same people opens,
 * at most after its default. src/config validates with the same rule.
 */
function withWindows(list: readonly Unwindowed[]): CheckinSetup[] {
  const windows = checkinWindows(
    list.map(({ setup: { plan }, ownCloseAfterMs, defaultCloseAfterMs }) => ({
      at: plan.at,
      closeAfterMs: ownCloseAfterMs,
      defaultCloseAfterMs,
      days: { weekdays: plan.workdays, holidays: plan.holidays, dates: plan.dates ?? [], ranges: plan.ranges ?? [] },
      participants: plan.members.map((m) => m.userId),
    })),
  );
  return list.map(({ setup }, i) => ({ ...setup, plan: { ...setup.plan, closeAfterMs: windows[i]!.closeAfterMs } }));
}

/**
 * True when the workstream holds the `standup` check-in: it has no `checkins:` list (today's one standup a day)
 * unless `standup.enabled: false`, or it has both `checkins:` and its own `standup:` key.
 */
export function holdsStandup(ws: WorkstreamConfig): boolean {
  if (ws.standup?.enabled === false) return false;
  return ws.checkins === undefined || ws.standup !== undefined;
}

/**
 * Every check-in of one workstream (the `standup` check-in first when it holds one, then `checkins:` in order),
 * or of the program for {@link PROGRAM_WORKSTREAM}, including those with nobody to prompt; each closes after its own
 * `close_after`, else when the next one for the same people opens, at most after the default (`checkins.close_after`,
 * else `standup.close_after`; domain/checkins/windows.ts).
 * @throws Error for an unknown workstream id.
 */
export function checkinsOf(config: WorkspaceConfig, workstreamId: string): CheckinSetup[] {
  // a resolved Program (src/config/resolve.ts) carries them, worked out once
  const resolved = (config as { checkinSetups?: Readonly<Record<string, readonly CheckinSetup[]>> }).checkinSetups?.[workstreamId];
  if (resolved) return [...resolved];
  if (workstreamId === PROGRAM_WORKSTREAM) return withWindows(config.program.checkins.map((c) => setupOf(config, null, c)));
  const ws = config.workstreams[workstreamId];
  if (!ws) throw new Error(`unknown workstream ${workstreamId}`);
  return withWindows([...(holdsStandup(ws) ? [standupOf(config, workstreamId)] : []), ...(ws.checkins ?? []).map((c) => setupOf(config, workstreamId, c))]);
}

/** One check-in by workstream (or {@link PROGRAM_WORKSTREAM}) and check-in id, or undefined. */
export function checkinOf(config: WorkspaceConfig, workstreamId: string, checkinId: string): CheckinSetup | undefined {
  if (workstreamId !== PROGRAM_WORKSTREAM && !config.workstreams[workstreamId]) return undefined;
  return checkinsOf(config, workstreamId).find((c) => c.checkinId === checkinId);
}

/** Every check-in the scheduler runs: each workstream's, then the program's; only those with someone to prompt. */
export function scheduledCheckins(config: WorkspaceConfig): CheckinSetup[] {
  return [...Object.keys(config.workstreams), PROGRAM_WORKSTREAM].flatMap((id) => checkinsOf(config, id)).filter((c) => c.plan.members.length > 0);
}
