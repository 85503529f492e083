import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { standupFormModel } from '../../services/checkins/form.js';
import type { runToAnswer } from '../../services/checkins/run-to-answer.js';
import { standupFormView } from '../blocks/standup-modal.js';
import type { SlackContext } from '../context.js';

/**
 * Opens the standup modal (views.open with `trigger_id`, valid 3 s, one use) for the run `found` by
 * runToAnswer: pre-filled with the member's current answers when they are editing, else with last run's
 * "today" as this run's "yesterday".
 */
export async function openStandupForm(ctx: SlackContext, client: WebClient, triggerId: string, userId: string, found: Extract<Awaited<ReturnType<typeof runToAnswer>>, { ok: true }>): Promise<void> {
  const m = await standupFormModel(ctx.deps, userId, found);
  await client.views.open({
    trigger_id: triggerId,
    view: standupFormView({ ...m, dayLabel: DateTime.fromISO(m.localDate).toFormat('cccc d LLLL') }),
  });
}
