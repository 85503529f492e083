import type { BoardSection } from '../board/board.js';
import type { Weekday } from '../checkins/days.js';
import type { SignOffRule } from '../gonogo/signoff.js';
import type { Question } from './questions.js';
import type { RotationDeclaration } from '../oncall/declaration.js';
import type { Severity } from './severities.js';
import type { WarRoomDeclaration } from '../warroom/room.js';

/*
 * preflight.yml as declared: parsed and validated by src/config (durations in ms, keys snake_case as people write
 * them, each key's own default filled in). src/config checks that its parsed result fits these types and hands
 * them on under this name (`WorkspaceConfig`), so the domain names the config's shape without importing config.
 * Defaults that depend on other keys (a check-in's reminder, a severity's ladder, a person's zone) are applied by
 * src/config/resolve.ts into the `Program` (./program.ts).
 */

/** One check-in as declared under `checkins:` of a workstream or of `program:` (before defaults). */
export interface CheckinDeclaration {
  id: string;
  name?: string | undefined;
  /** Local wall-clock time "HH:MM". */
  at: string;
  /** Weekday names, ISO dates and `from..until` ranges (domain/checkins/days.ts). */
  days?: string[] | undefined;
  questions?: Question[] | undefined;
  /** Keywords (`members`, `leads`, `all_members`, `all_leads`), group names or user IDs. */
  participants?: string[] | undefined;
  remind_after?: number | undefined;
  close_after?: number | undefined;
  /** Task ids that should be done by this check-in. */
  expects?: string[] | undefined;
}

/** A member entry: a user ID, or one with their own IANA zone. */
export type MemberDeclaration = string | { id: string; timezone?: string | undefined };

/** A ladder level: `after` ms (from the blocker's raise, or the task's due time); `notify` a role, `oncall:<id>`, a user ID or a list of these. */
export interface LadderLevelDeclaration {
  after: number;
  notify: string | string[];
}

/** A task of a workstream: `due` a local date-time, `estimate` in hours; `priority_given` says whether `priority` was written. */
export interface TaskDeclaration {
  id: string;
  title: string;
  owner: string;
  due?: string | undefined;
  estimate: number;
  priority: Severity;
  priority_given: boolean;
  requires: string[];
}

/** A go/no-go gate: `sign_off` every authority, `sign_off_rule` whether one or all must sign. */
export interface GateDeclaration {
  id: string;
  name: string;
  due?: string | undefined;
  sign_off: string[];
  sign_off_rule: SignOffRule;
  requires: string[];
  unblocks: string[];
  checklist: string[];
  mandatory: boolean;
  /** The delegate of a signer who is away may sign for them (issue 22); the signature records "by @ben for @ana". */
  delegate_may_sign: boolean;
  on_fail: { escalate_to: string[]; notify_downstream: boolean };
}

/** A workstream as declared under `workstreams.<id>`. */
export interface WorkstreamDeclaration {
  name: string;
  channel: string;
  blockers_channel?: string | undefined;
  /** Enterprise Grid (issue 24): the workspace (`T…`) of `channel` and `blockers_channel`; absent: the program's. */
  team?: string | undefined;
  /** Slack Connect (issue 24): workspaces (`T…`) of outside organizations whose listed people Preflight serves. */
  slack_connect?: string[] | undefined;
  timezone?: string | undefined;
  leads: string[];
  members: MemberDeclaration[];
  /** Overrides of the program's `standup:` for this workstream's `standup` check-in. */
  standup?:
    | {
        at?: string | undefined;
        remind_after?: number | undefined;
        close_after?: number | undefined;
        questions?: Question[] | undefined;
        enabled?: boolean | undefined;
      }
    | undefined;
  checkins?: CheckinDeclaration[] | undefined;
  checklist: string[];
  tasks: TaskDeclaration[];
  /** Tracker sources whose issues are tasks of this workstream (issue 21; config/schema/tasks-from.ts has every key). */
  tasks_from?: TrackerSourceDeclaration[] | undefined;
  /** Local date or date-time bounds, in the workstream's zone (domain/workstreams/activity.ts). */
  active?: { from?: string | undefined; until?: string | undefined } | undefined;
  starts_when?: { gate: string } | undefined;
}

/** What every tracker source declares besides its tracker's own keys (config/schema/tasks-from.ts, defaults applied). */
export type TrackerSettingsDeclaration = {
  token_env?: string | undefined;
  webhook_secret_env?: string | undefined;
  write_back: boolean;
  /** ms */
  poll_every: number;
  /** `HH:mm`, program zone. */
  due_hour: string;
  hours_per_point: number;
  status_progress: Record<string, number>;
};

/** One `tasks_from` entry: exactly one of `jira`, `linear`, `github` with its settings. */
export type TrackerSourceDeclaration =
  | {
      jira: TrackerSettingsDeclaration & {
        site: string;
        jql: string;
        email_env?: string | undefined;
        deployment?: 'cloud' | 'datacenter' | undefined;
        due_field?: string | undefined;
        points_field?: string | undefined;
      };
    }
  | { linear: TrackerSettingsDeclaration & { team: string; project?: string | undefined; label?: string | undefined } }
  | {
      github: TrackerSettingsDeclaration & {
        repo?: string | undefined;
        label?: string | undefined;
        project?: string | undefined;
        app?: { app_id_env: string; private_key_env: string; installation_id: number } | undefined;
      };
    };

/** The whole program as declared in one preflight.yml. */
export interface ProgramDeclaration {
  program: {
    name: string;
    timezone: string;
    go_live?: string | undefined;
    /** When the launch is over (program-local date-time): the retrospective is drafted once after it (issue 23). */
    end?: string | undefined;
    pm: string;
    execs: string[];
    channel: string;
    /**
     * Enterprise Grid (issue 24): the workspace (`T…`) of `channel`, and the one Preflight passes as `team_id` to
     * the methods an org-wide app must tell a workspace (the war room's conversations.create / .list). Absent: the
     * workspace the bot token is installed in.
     */
    team?: string | undefined;
    /** Slack Connect (issue 24): workspaces (`T…`) of outside organizations whose listed people Preflight serves. */
    slack_connect?: string[] | undefined;
    groups: Record<string, string[]>;
    checkins: CheckinDeclaration[];
    digest?: { at: string } | undefined;
    /** On-call rotations by id (issue 22). */
    oncall: Record<string, RotationDeclaration>;
    /** Who covers whom while away (issue 22): `delegate` gets `person`'s ladder steps (domain/people/cover.ts). */
    delegates: { person: string; delegate: string }[];
    /** Slack status emoji (":palm_tree:") that mark someone away, read with users.profile.get. */
    away_statuses: string[];
    /** The war room (issue 23; domain/warroom/room.ts). */
    war_room?: WarRoomDeclaration | undefined;
    /** The live status board's sections (issue 23, domain/board); absent: all. */
    board?: { include: BoardSection[] } | undefined;
  };
  /** Defaults of every declared check-in (the `standup` check-in takes `standup:` instead). */
  checkins: { remind_after?: number | undefined; close_after?: number | undefined; questions?: Question[] | undefined; days?: string[] | undefined };
  calendar: { workdays: Weekday[]; holidays: string[] };
  standup: { at: string; remind_after: number; close_after: number; questions: Question[] };
  scheduler: { tick: number; reclaim_after: number };
  workstreams: Record<string, WorkstreamDeclaration>;
  escalation: {
    stop_when: 'resolved' | 'acknowledged';
    default_severity: Severity;
    ladders: Partial<Record<Severity, LadderLevelDeclaration[]>>;
    repeat?: { every: number; max: number } | undefined;
    snooze_max: number;
    quiet_hours?: { from: string; to: string; except: Severity[] } | undefined;
    sweep_every: number;
  };
  tasks: { escalation?: LadderLevelDeclaration[] | undefined };
  gates: GateDeclaration[];
  gonogo?: { go_at_least: number; conditional_at_least: number; blocking_severities: Severity[]; at?: string | undefined } | undefined;
}
