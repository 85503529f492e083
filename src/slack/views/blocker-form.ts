import type { App } from '@slack/bolt';
import { formatDuration } from '../../config/duration.js';
import { shortId } from '../../domain/blockers/blocker.js';
import { SEVERITIES, targetLabel, type Severity } from '../../domain/blockers/ladder.js';
import { raiseBlocker } from '../../services/blockers/raise.js';
import { BLOCKER_FORM_BLOCKS, FORM_ACTION } from '../blocks/blocker-form.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';
import { BLOCKER_IDS } from '../blocks/ids.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_user?: string | null }>>;

/** The `/blocker` modal's submission: validate, raise (write), ack to close, then DM the short id. */
export function registerBlockerFormSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(BLOCKER_IDS.form, async ({ ack, body, view, client }) => {
    const v = view.state.values as Values;
    const get = (block: string) => v[block]?.[FORM_ACTION];
    const text = (get(BLOCKER_FORM_BLOCKS.text)?.value ?? '').trim();
    const severity = get(BLOCKER_FORM_BLOCKS.severity)?.selected_option?.value as Severity | undefined;
    const workstreamId = get(BLOCKER_FORM_BLOCKS.workstream)?.selected_option?.value;
    if (!text) return await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.text]: 'Say what blocks you.' } });
    if (severity && !SEVERITIES.includes(severity)) return await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.severity]: 'Pick P0, P1 or P2.' } });
    if (!workstreamId || !deps.config.workstreams[workstreamId]) return await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.workstream]: 'Pick a workstream.' } });
    const meta = decodeSlack(slackPayloads.blockerForm, view.private_metadata);
    if (!meta.ok) {
      deps.log.warn({ view: BLOCKER_IDS.form, problem: meta.problem, userId: body.user.id }, 'blocker form private_metadata did not decode');
      return await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.text]: STALE_PAYLOAD.blockerForm } });
    }
    try {
      const res = await raiseBlocker(
        deps,
        {
          reporter: body.user.id,
          text,
          severity,
          owner: get(BLOCKER_FORM_BLOCKS.owner)?.selected_user ?? undefined,
          workstreamId,
          channelId: meta.value.channelId ?? undefined,
          gateId: get(BLOCKER_FORM_BLOCKS.gate)?.selected_option?.value ?? undefined,
          source: 'modal',
        },
        { deferWakeups: true },
      );
      if (!res.ok) return await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.text]: res.message.replace(/`/g, '') } });
      await ack();
      await res.wake?.().catch((err) => deps.log.warn({ err: (err as Error).message }, 'could not wake the blocker jobs; the sweeper will'));
      const b = res.blocker;
      const first = b.policy.ladder[0];
      await client.chat
        .postMessage({
          channel: body.user.id,
          text: `🚧 Raised *${shortId(b.id)}* (${b.severity}), posted in <#${b.channel}>.${first ? ` It escalates to ${targetLabel(first.notify)} after ${formatDuration(first.afterMs)} unless resolved.` : ''}`,
        })
        .catch((err) => deps.log.warn({ err: (err as Error).message }, 'could not DM the blocker confirmation'));
    } catch (err) {
      deps.log.error({ err, view: BLOCKER_IDS.form }, 'blocker form submission failed');
      await ack({ response_action: 'errors', errors: { [BLOCKER_FORM_BLOCKS.text]: TRY_AGAIN } }).catch(() => {});
    }
  });
}
