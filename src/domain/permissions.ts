import { shortId } from './blockers/blocker.js';
import type { EscalationPolicy } from './blockers/ladder.js';
import { PROGRAM_WORKSTREAM } from './checkins/plans.js';

/**
 * Who may do what in Preflight: every permission rule in one place, pure. The services call {@link permission}
 * on the server whatever a button, menu or payload says; the Slack layer renders a refusal from its `rule` and
 * `who` (so every refusal names who *can*). Anyone may raise a blocker or answer their own standup: those are
 * not checked here.
 */

/** Who holds which role, from preflight.yml (services/permission-check.ts derives it from the config). */
export interface PermissionRoles {
  /** The program's PM (user id). */
  pm: string;
  /** The program's execs (user ids). */
  execs: readonly string[];
  /** Workstreams by id: their display name and leads. */
  workstreams: Readonly<Record<string, { name: string; leads: readonly string[] }>>;
  /** Quality gates by id: their display name and sign-off authorities. */
  gates: Readonly<Record<string, { name: string; signOff: readonly string[] }>>;
}

export const BLOCKER_VERBS = ['acknowledge', 'resolve', 'snooze', 'reassign', 'escalate'] as const;
export type BlockerVerb = (typeof BLOCKER_VERBS)[number];

/** The parts of a blocker its permission depends on (the frozen policy names users its ladder pings). */
export interface BlockerParties {
  id: number;
  reporter: string;
  owner: string | null;
  workstreamId: string;
  policy: Pick<EscalationPolicy, 'ladder'>;
}

/** What someone wants to do, and to what. */
export type PermissionAction =
  | { on: 'blocker'; verb: BlockerVerb; blocker: BlockerParties }
  | { on: 'gate'; verb: 'sign-off' | 'fail'; gateId: string }
  | { on: 'run'; verb: 'start'; workstreamId: string }
  | { on: 'checklist'; verb: 'tick'; workstreamId: string }
  | { on: 'decision'; verb: 'decide' }
  | { on: 'plan'; verb: 'reload' }
  /** `/preflight retro` (issue 23): draft or refresh the retrospective. */
  | { on: 'retro'; verb: 'draft' }
  /** A change made from Slack on top of preflight.yml (issue 20): a workstream's task, or (null) a gate's due time. */
  | { on: 'plan'; verb: 'replan'; workstreamId: string | null }
  | { on: 'task'; verb: 'update'; taskId: string; owner: string; workstreamId: string }
  /** `/preflight warroom close` (issue 23): the PM only. */
  | { on: 'warroom'; verb: 'close' };

/**
 * A refusal: `rule` says in plain words (no markup; names from the config unescaped) who may do it, e.g.
 * "Only the PM or an exec can record the go/no-go decision"; `who` lists every user id that can, in the order
 * worth asking (may be empty, e.g. a gate with no sign-off authority).
 */
export interface Refusal {
  allowed: false;
  who: string[];
  rule: string;
}

export type Permission = { allowed: true } | Refusal;

const unique = (ids: (string | null | undefined)[]) => [...new Set(ids.filter((x): x is string => Boolean(x)))];

/** The users a blocker's frozen ladder names by id (a level whose `notify` is a user list). */
function namedByLadder(policy: Pick<EscalationPolicy, 'ladder'>): string[] {
  return policy.ladder.flatMap((l) => (Array.isArray(l.notify) ? l.notify : []));
}

/** Who can, for each action (the first matching list decides). */
function whoCan(roles: PermissionRoles, action: PermissionAction): { who: string[]; rule: string } {
  switch (action.on) {
    case 'blocker': {
      // owner, reporter, the workstream's leads, the PM, an exec, and whoever its ladder pings by name
      const b = action.blocker;
      const ws = roles.workstreams[b.workstreamId];
      return {
        who: unique([b.owner, b.reporter, ...(ws?.leads ?? []), roles.pm, ...roles.execs, ...namedByLadder(b.policy)]),
        rule: `Only ${shortId(b.id)}'s owner, its reporter, ${ws ? `${ws.name}'s` : 'its workstream’s'} leads, the PM, an exec or someone its ladder names can ${action.verb} it`,
      };
    }
    case 'gate': {
      const gate = roles.gates[action.gateId];
      const what = action.verb === 'sign-off' ? 'sign it off' : 'mark it failed';
      if (!gate) return { who: [], rule: `There is no gate “${action.gateId}”, so nobody can ${what}` };
      return { who: unique([...gate.signOff]), rule: `Only the sign-off authority of “${gate.name}” can ${what}` };
    }
    case 'run':
    case 'checklist': {
      // a program check-in (PROGRAM_WORKSTREAM) spans every workstream: only the PM starts it
      if (action.on === 'run' && action.workstreamId === PROGRAM_WORKSTREAM) return { who: [roles.pm], rule: 'Only the PM can start a program check-in' };
      const ws = roles.workstreams[action.workstreamId];
      const name = ws?.name ?? action.workstreamId;
      return {
        who: unique([...(ws?.leads ?? []), roles.pm]),
        rule: action.on === 'run' ? `Only ${name}'s leads or the PM can start its standup` : `Only ${name}'s leads or the PM can tick its checklist`,
      };
    }
    case 'task': {
      const ws = roles.workstreams[action.workstreamId];
      return {
        who: unique([action.owner, ...(ws?.leads ?? []), roles.pm]),
        rule: `Only ${action.taskId}'s owner, ${ws ? `${ws.name}'s` : 'its workstream’s'} leads or the PM can update it`,
      };
    }
    case 'decision':
      return { who: unique([roles.pm, ...roles.execs]), rule: 'Only the PM or an exec can record the go/no-go decision' };
    case 'warroom':
      return { who: [roles.pm], rule: 'Only the PM can close the war room' };
    case 'retro':
      return { who: [roles.pm], rule: 'Only the PM can draft the retrospective' };
    case 'plan': {
      if (action.verb === 'reload') return { who: [roles.pm], rule: 'Only the PM can reload the plan' };
      if (action.workstreamId === null) return { who: [roles.pm], rule: 'Only the PM can move a gate' };
      const ws = roles.workstreams[action.workstreamId];
      return { who: unique([...(ws?.leads ?? []), roles.pm]), rule: `Only ${ws ? `${ws.name}'s` : 'the workstream’s'} leads or the PM can change its plan` };
    }
  }
}

/**
 * May `actor` do `action`?
 * - blocker (acknowledge, resolve, snooze, reassign, escalate): its owner, its reporter, its workstream's leads,
 *   the PM, an exec, or a user its frozen ladder names.
 * - gate (sign off, fail): the gate's sign-off authorities only (not the PM, unless listed).
 * - standup run (start now) and checklist (tick): the workstream's leads or the PM; a program check-in's run
 *   (workstream `PROGRAM_WORKSTREAM`): the PM only.
 * - go/no-go decision: the PM or an exec.
 * - task (done, progress, block): its owner, its workstream's leads, or the PM (issue 10).
 * - plan reload (`/preflight reload`): the PM only (issue 20).
 * - replan from Slack (`/task add|due|assign|drop`): the workstream's leads or the PM; a gate's due time
 *   (`/gonogo due`): the PM only, a gate belonging to no one workstream (issue 20).
 * @returns `{ allowed: true }`, or a {@link Refusal} naming who can.
 */
export function permission(roles: PermissionRoles, actor: string, action: PermissionAction): Permission {
  const { who, rule } = whoCan(roles, action);
  return who.includes(actor) ? { allowed: true } : { allowed: false, who, rule };
}
