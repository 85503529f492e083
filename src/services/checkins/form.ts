import { countsInReport } from '../../domain/checkins/late-answers.js';
import type { Question } from '../../config/workspace.js';
import type { Answers } from '../../domain/checkins/answers.js';
import type { Deps } from '../deps.js';
import { currentAnswers, prefillFromLastRun } from './record-answers.js';
import type { runToAnswer } from './run-to-answer.js';
import { localClock } from './prompts.js';
import { checkinTasksOf, type CheckinTask } from '../tasks/checkin.js';

/** What the standup modal shows for one member and run. */
export interface StandupFormModel {
  runId: number;
  workstreamName: string;
  /** The check-in's display name ("Standup" for the standup). */
  checkinName: string;
  /** The run's workstream-local date, ISO (YYYY-MM-DD). */
  localDate: string;
  /** The member's close time in their own zone, e.g. "12:00 EST". */
  closesAtLocal: string;
  questions: readonly Question[];
  /** Pre-filled values: the member's current answers when editing, else last run's "today" as "yesterday". */
  initial: Answers;
  /** True when the member already answered (the form saves an edit). */
  editing: boolean;
  /** True when the run has closed (the answer goes to the report's thread). */
  late: boolean;
  /** Closed, but a late answer still counts in its report (domain/checkins/late-answers.ts). */
  lateInReport: boolean;
  /** The member's open tasks: the form asks a percent for each (issue 10). */
  tasks: CheckinTask[];
}

type Found = Extract<Awaited<ReturnType<typeof runToAnswer>>, { ok: true }>;

/** The standup form's model for `userId` and the run {@link runToAnswer} found (Postgres reads only). */
export async function standupFormModel(deps: Deps, userId: string, found: Found): Promise<StandupFormModel> {
  const { run } = found;
  const current = await currentAnswers(deps.db, run.id, userId);
  const prefill = await prefillFromLastRun(deps.db, run, userId);
  return {
    runId: run.id,
    workstreamName: run.workstreamName,
    checkinName: run.checkinName,
    localDate: run.localDate,
    closesAtLocal: localClock(found.closeAt, found.zone),
    questions: run.questions,
    initial: current ? { ...prefill, ...current.answers } : prefill,
    editing: Boolean(current?.complete),
    late: run.status !== 'open',
    lateInReport: run.status !== 'open' && countsInReport(run.closeAt.getTime(), deps.clock.now().toMillis()),
    tasks: await checkinTasksOf(deps, userId),
  };
}
