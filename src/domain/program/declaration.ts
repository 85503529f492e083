import type { Weekday } from '../checkins/days.js';
import type { Question } from './questions.js';

/*
 * preflight.yml as declared (parsed and validated by src/config, durations in ms, keys snake_case as people write
 * them), in the part the domain's rules read. src/config's parsed `WorkspaceConfig` is checked to fit these types
 * (src/config/schema/index.ts), so the domain names them without importing config.
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
  expects?: string[] | undefined;
}

/** A member entry: a user ID, or one with their own IANA zone. */
export type MemberDeclaration = string | { id: string; timezone?: string | undefined };

/** A workstream as declared under `workstreams.<id>` (the part check-ins and people read). */
export interface WorkstreamDeclaration {
  name: string;
  channel: string;
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
}

/** The whole program as declared: what domain/checkins/plans.ts builds the check-ins from. */
export interface ProgramDeclaration {
  program: {
    name: string;
    timezone: string;
    channel: string;
    pm: string;
    execs: string[];
    groups: Record<string, string[]>;
    checkins: CheckinDeclaration[];
  };
  /** Defaults of every declared check-in (the `standup` check-in takes `standup:` instead). */
  checkins: { remind_after?: number | undefined; close_after?: number | undefined; questions?: Question[] | undefined; days?: string[] | undefined };
  calendar: { workdays: Weekday[]; holidays: string[] };
  standup: { at: string; remind_after: number; close_after: number; questions: Question[] };
  workstreams: Record<string, WorkstreamDeclaration>;
}
