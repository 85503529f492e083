import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { and, desc, eq } from 'drizzle-orm';
import { standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import { myOpenBlockers } from '../../services/blockers/queries.js';
import { blockerView } from '../../services/blockers/view.js';
import { workstreamStandup, workstreamsOf } from '../../services/standups/plans.js';
import { localClock } from '../../services/standups/prompts.js';
import { homeView, type HomeStandup } from '../blocks/home.js';
import type { SlackContext } from '../context.js';

/** My standup status today, per workstream I answer in. */
async function myStandups(ctx: SlackContext, userId: string): Promise<HomeStandup[]> {
  const { deps } = ctx;
  const out: HomeStandup[] = [];
  for (const wsId of workstreamsOf(deps.config, userId)) {
    const ws = workstreamStandup(deps.config, wsId);
    const today = deps.clock.now().setZone(ws.zone).toISODate()!;
    const [row] = await deps.db
      .select({ run: standupRuns, prompt: standupPrompts })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .where(and(eq(standupRuns.workstreamId, wsId), eq(standupRuns.localDate, today), eq(standupPrompts.userId, userId)))
      .orderBy(desc(standupRuns.id))
      .limit(1);
    if (!row) {
      out.push({ workstreamName: ws.name, state: 'no run yet', detail: `standup at ${ws.plan.at} (${ws.zone})` });
      continue;
    }
    const [answer] = await deps.db.select({ complete: standupAnswers.complete }).from(standupAnswers).where(and(eq(standupAnswers.runId, row.run.id), eq(standupAnswers.userId, userId)));
    const closes = localClock(row.prompt.closeAt, row.prompt.zone);
    if (answer?.complete) out.push({ workstreamName: ws.name, state: 'answered', detail: row.run.status === 'open' ? `answered; editable until ${closes} with \`/standup\`` : 'answered' });
    else if (row.prompt.status === 'skipped') out.push({ workstreamName: ws.name, state: 'skipped', detail: 'skipped today' });
    else if (row.prompt.status === 'ooo') out.push({ workstreamName: ws.name, state: 'ooo', detail: 'out of office' });
    else if (row.run.status !== 'open') out.push({ workstreamName: ws.name, state: 'closed', detail: 'closed without your answer (you can still answer late with `/standup`)' });
    else out.push({ workstreamName: ws.name, state: 'waiting', detail: `waiting for your answer until ${closes}: \`/standup\`` });
  }
  return out;
}

/** Publishes the Home tab for `userId` (views.publish). */
export async function publishHome(ctx: SlackContext, client: WebClient, userId: string): Promise<void> {
  const now = ctx.deps.clock.now().toJSDate();
  const mine = await myOpenBlockers(ctx.deps.db, userId);
  const v = (rows: typeof mine.raised) => rows.map((b) => blockerView(ctx.deps.config, b, now));
  const view = homeView(await myStandups(ctx, userId), [
    { title: 'Waiting on you', items: v(mine.waiting) },
    { title: 'Escalated to you', items: v(mine.escalated) },
    { title: 'Raised by you', items: v(mine.raised) },
  ]);
  await client.views.publish({ user_id: userId, view });
}

/** `app_home_opened` (Home tab): publish my standup status and my open blockers. */
export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, event.user);
  });
}
