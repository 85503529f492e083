import type { App } from '@slack/bolt';
import { checklistState, setChecklist } from '../../services/gonogo/decisions.js';
import { refusalPlainText } from '../blocks/refusal.js';
import { decodeSlack, slackPayloads, STALE_PAYLOAD } from '../payloads.js';
import { GATE_IDS } from '../blocks/gonogo.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

/** The checklist modal's submission: the lead's ticks replace the workstream's set (setChecklist re-checks the permission). */
export function registerChecklistSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(GATE_IDS.checklistForm, async ({ ack, body, view }) => {
    const decoded = decodeSlack(slackPayloads.checklistForm, view.private_metadata);
    if (!decoded.ok || !deps.config.workstreams[decoded.value.workstreamId]) {
      deps.log.warn({ view: GATE_IDS.checklistForm, problem: decoded.ok ? 'unknown workstream' : decoded.problem, userId: body.user.id }, 'checklist form private_metadata did not decode');
      return await ack({ response_action: 'errors', errors: { cl_0: STALE_PAYLOAD.checklistForm } });
    }
    const meta = decoded.value;
    const { workstreamId } = meta;
    try {
      // option values index the items the form showed (kept in private_metadata), so a config edit meanwhile cannot shift them
      const items = meta.items ?? (await checklistState(deps, workstreamId)).map((i) => i.item);
      const values = view.state.values as Record<string, Record<string, { selected_options?: { value: string }[] }>>;
      const checked = Object.values(values)
        .flatMap((b) => b.ticks?.selected_options ?? [])
        .map((o) => items[Number(o.value)])
        .filter((x): x is string => Boolean(x));
      const saved = await setChecklist(deps, workstreamId, body.user.id, checked, meta.shown);
      if (!saved.ok) return await ack({ response_action: 'errors', errors: { cl_0: refusalPlainText(saved.refusal) } });
      await ack();
    } catch (err) {
      deps.log.error({ err }, 'checklist submission failed');
      await ack({ response_action: 'errors', errors: { cl_0: TRY_AGAIN } }).catch(() => {});
    }
  });
}
