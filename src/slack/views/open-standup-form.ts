import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import type { standupRuns } from '../../db/schema/index.js';
import { currentAnswers, prefillFromLastRun } from '../../services/standups/answers.js';
import { localClock } from '../../services/standups/prompts.js';
import { standupFormView } from '../blocks/standup-modal.js';
import type { SlackContext } from '../context.js';

/**
 * Opens the standup modal for `run` with `trigger_id`: pre-filled with the member's current answers when
 * they are editing, else with last run's "today" as this run's "yesterday".
 */
export async function openStandupForm(
  ctx: SlackContext,
  client: WebClient,
  triggerId: string,
  userId: string,
  found: { run: typeof standupRuns.$inferSelect; closeAt: Date; zone: string },
): Promise<void> {
  const { run } = found;
  const current = await currentAnswers(ctx.deps.db, run.id, userId);
  const initial = current ? { ...(await prefillFromLastRun(ctx.deps.db, run, userId)), ...current.answers } : await prefillFromLastRun(ctx.deps.db, run, userId);
  await client.views.open({
    trigger_id: triggerId,
    view: standupFormView({
      runId: run.id,
      workstreamName: run.workstreamName,
      dayLabel: DateTime.fromISO(run.localDate).toFormat('cccc d LLLL'),
      closesAtLocal: localClock(found.closeAt, found.zone),
      questions: run.questions,
      initial,
      editing: Boolean(current?.complete),
      late: run.status !== 'open',
    }),
  });
}
