import type { App } from '@slack/bolt';
import { DateTime } from 'luxon';
import { RunClosedError, submitForm, validateForm } from '../../services/checkins/record-answers.js';
import { runToAnswer } from '../../services/checkins/run-to-answer.js';
import { IDS, questionBlockId } from '../blocks/ids.js';
import { answerRecordedView, readFormValues, readTaskValues } from '../blocks/standup-modal.js';
import { applyCheckinProgress } from '../../services/tasks/checkin.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

/**
 * How long after the submission reached this listener the form may still show the confirmation itself (ms). Slack
 * drops an interaction's ack that comes after 3 s (docs.slack.dev, "Request handling": interactivity must get its HTTP 200 within 3 s);
 * the rest is left for the network and the write's commit. Past it the modal closes and the receipt DM confirms.
 */
export const CONFIRM_IN_FORM_WITHIN_MS = 2_000;

/**
 * The standup modal's submission: validate (field errors stay in the modal), write the answer, then ack with the
 * confirmation view in place of the form (`response_action: "update"`, blocks/standup-modal.ts
 * `answerRecordedView`): no Web API call (issue 25). When the write came too late for Slack to show that view
 * ({@link CONFIRM_IN_FORM_WITHIN_MS}), the empty ack closes the modal and the receipt DM, opened with the answer,
 * confirms it instead (services/checkins/answer-receipts.ts). The answer is stored before any Slack call.
 */
export function registerStandupFormSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(IDS.standupForm, async ({ ack, body, view }) => {
    const confirmInModalBy = Date.now() + CONFIRM_IN_FORM_WITHIN_MS;
    const userId = body.user.id;
    // an error must name an input block of this view: the first one it has
    const shownBlock = Object.keys(view.state.values)[0] ?? questionBlockId('yesterday');
    const meta = decodeSlack(slackPayloads.standupForm, view.private_metadata);
    if (!meta.ok) {
      deps.log.warn({ view: IDS.standupForm, problem: meta.problem, userId }, 'standup form private_metadata did not decode');
      return await ack({ response_action: 'errors', errors: { [shownBlock]: STALE_PAYLOAD.standupForm } });
    }
    const firstBlock = (questions: { id: string }[]) => questionBlockId(questions[0]?.id ?? 'x');
    try {
      const found = await runToAnswer(deps, userId, { runId: meta.value.runId });
      if (!found.ok) return await ack({ response_action: 'errors', errors: { [shownBlock]: 'This standup is not yours to answer. Close this form and type `/standup` to open your own.' } });
      const { run } = found;
      const raw = readFormValues(run.questions, view.state.values as never);
      const valid = validateForm(run, raw);
      if (!valid.ok) {
        return await ack({ response_action: 'errors', errors: Object.fromEntries(Object.entries(valid.errors).map(([q, msg]) => [questionBlockId(q), msg])) });
      }
      let saved: Awaited<ReturnType<typeof submitForm>>;
      try {
        saved = await submitForm(deps, userId, run.id, valid.answers, { confirmInModalBy });
      } catch (err) {
        if (err instanceof RunClosedError) {
          return await ack({
            response_action: 'errors',
            errors: {
              [firstBlock(run.questions)]:
                `This standup closed at ${DateTime.fromJSDate(run.closeAt).setZone(found.zone).toFormat('HH:mm ZZZZ')}; your answer is in the report and can no longer be edited.`,
            },
          });
        }
        throw err;
      }
      if (saved.kind === 'not-member') return await ack({ response_action: 'errors', errors: { [firstBlock(run.questions)]: 'You are not part of this standup.' } });
      await ack(saved.confirmation ? { response_action: 'update', view: answerRecordedView(saved.confirmation) } : undefined);
      // per-task progress from the form (a percent per open task; 100 = done), after the answer is saved
      const progress = await applyCheckinProgress(deps, userId, readTaskValues(view.state.values as never)).catch((err) => {
        deps.log.error({ err, userId }, 'could not record the task progress of a check-in form');
        return null;
      });
      await progress?.after().catch((err) => deps.log.warn({ userId, err: (err as Error).message }, 'task follow-ups failed; the sweeper will redo them'));
    } catch (err) {
      deps.log.error({ err, view: IDS.standupForm }, 'standup form submission failed');
      // keep the modal open with the message, so the member's text is not lost
      await ack({ response_action: 'errors', errors: { [questionBlockId('yesterday')]: TRY_AGAIN } }).catch(() => {});
    }
  });
}
