import type { Question, WorkspaceConfig, WorkstreamConfig } from '../../config/workspace.js';
import type { StandupPlan } from '../../domain/standups/schedule.js';

/** A workstream's standup settings with program defaults applied. */
export interface WorkstreamStandup {
  id: string;
  name: string;
  channel: string;
  zone: string;
  leads: string[];
  questions: Question[];
  plan: StandupPlan;
}

/** Resolves one workstream's standup settings (workstream value, else program default). */
export function workstreamStandup(config: WorkspaceConfig, id: string): WorkstreamStandup {
  const ws: WorkstreamConfig | undefined = config.workstreams[id];
  if (!ws) throw new Error(`unknown workstream ${id}`);
  const zone = ws.timezone ?? config.program.timezone;
  return {
    id,
    name: ws.name,
    channel: ws.channel,
    zone,
    leads: ws.leads,
    questions: ws.standup.questions ?? config.standup.questions,
    plan: {
      workstreamId: id,
      zone,
      at: ws.standup.at ?? config.standup.at,
      remindAfterMs: ws.standup.remind_after ?? config.standup.remind_after,
      closeAfterMs: ws.standup.close_after ?? config.standup.close_after,
      workdays: config.calendar.workdays,
      holidays: config.calendar.holidays,
      members: ws.members.map((m) => (typeof m === 'string' ? { userId: m, zone } : { userId: m.id, zone: m.timezone ?? zone })),
    },
  };
}

/** Every workstream that holds standups (enabled, with at least one member). */
export function scheduledWorkstreams(config: WorkspaceConfig): WorkstreamStandup[] {
  return Object.keys(config.workstreams)
    .filter((id) => config.workstreams[id]!.standup.enabled !== false && config.workstreams[id]!.members.length > 0)
    .map((id) => workstreamStandup(config, id));
}

/** Ids of the workstreams whose standup `userId` answers (they are listed under `members`). */
export function workstreamsOf(config: WorkspaceConfig, userId: string): string[] {
  return Object.entries(config.workstreams)
    .filter(([, ws]) => ws.members.some((m) => (typeof m === 'string' ? m : m.id) === userId))
    .map(([id]) => id);
}

/**
 * A person's IANA zone (their "today", their quiet hours): their member override in any workstream, else the zone of
 * a workstream they are in or lead, else the program's.
 */
export function zoneOf(config: WorkspaceConfig, userId: string): string {
  for (const ws of Object.values(config.workstreams)) {
    for (const m of ws.members) if (typeof m !== 'string' && m.id === userId && m.timezone) return m.timezone;
  }
  for (const ws of Object.values(config.workstreams)) {
    if ((ws.members.some((m) => (typeof m === 'string' ? m : m.id) === userId) || ws.leads.includes(userId)) && ws.timezone) return ws.timezone;
  }
  return config.program.timezone;
}
