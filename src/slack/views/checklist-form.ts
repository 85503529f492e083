import type { App } from '@slack/bolt';
import { checklistState, mayTickChecklist, setChecklist } from '../../services/gonogo/decisions.js';
import { GATE_IDS } from '../blocks/gonogo.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

/** The checklist modal's submission: the lead's ticks replace the workstream's set (permission re-checked here). */
export function registerChecklistSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(GATE_IDS.checklistForm, async ({ ack, body, view }) => {
    let workstreamId = '';
    try {
      workstreamId = (JSON.parse(view.private_metadata) as { workstreamId: string }).workstreamId;
    } catch {
      /* handled below */
    }
    if (!deps.config.workstreams[workstreamId] || !mayTickChecklist(deps, workstreamId, body.user.id)) {
      return await ack({ response_action: 'errors', errors: { cl_0: 'You cannot change this checklist.' } });
    }
    try {
      const items = await checklistState(deps, workstreamId);
      const values = view.state.values as Record<string, Record<string, { selected_options?: { value: string }[] }>>;
      const checked = Object.values(values).flatMap((b) => b.ticks?.selected_options ?? []).map((o) => items[Number(o.value)]?.item).filter((x): x is string => Boolean(x));
      await setChecklist(deps, workstreamId, body.user.id, checked);
      await ack();
    } catch (err) {
      deps.log.error({ err }, 'checklist submission failed');
      await ack({ response_action: 'errors', errors: { cl_0: TRY_AGAIN } }).catch(() => {});
    }
  });
}
