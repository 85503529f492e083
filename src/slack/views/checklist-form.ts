import type { App } from '@slack/bolt';
import { checklistState, mayTickChecklist, setChecklist } from '../../services/gonogo/decisions.js';
import { GATE_IDS } from '../blocks/gonogo.js';
import { TRY_AGAIN, type SlackContext } from '../context.js';

/** The checklist modal's submission: the lead's ticks replace the workstream's set (permission re-checked here). */
export function registerChecklistSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(GATE_IDS.checklistForm, async ({ ack, body, view }) => {
    let meta: { workstreamId?: string; items?: string[]; shown?: string[] } = {};
    try {
      meta = JSON.parse(view.private_metadata);
    } catch {
      /* handled below */
    }
    const workstreamId = meta.workstreamId ?? '';
    if (!deps.config.workstreams[workstreamId] || !mayTickChecklist(deps, workstreamId, body.user.id)) {
      return await ack({ response_action: 'errors', errors: { cl_0: 'You cannot change this checklist.' } });
    }
    try {
      // option values index the items the form showed (kept in private_metadata), so a config edit meanwhile cannot shift them
      const items = meta.items ?? (await checklistState(deps, workstreamId)).map((i) => i.item);
      const values = view.state.values as Record<string, Record<string, { selected_options?: { value: string }[] }>>;
      const checked = Object.values(values).flatMap((b) => b.ticks?.selected_options ?? []).map((o) => items[Number(o.value)]).filter((x): x is string => Boolean(x));
      await setChecklist(deps, workstreamId, body.user.id, checked, meta.shown);
      await ack();
    } catch (err) {
      deps.log.error({ err }, 'checklist submission failed');
      await ack({ response_action: 'errors', errors: { cl_0: TRY_AGAIN } }).catch(() => {});
    }
  });
}
