import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { homeModel } from '../../services/home.js';
import { homeView } from '../blocks/home.js';
import type { SlackContext } from '../context.js';

/** Publishes the Home tab for `userId` (views.publish): my standup status today and my open blockers. */
export async function publishHome(ctx: SlackContext, client: WebClient, userId: string): Promise<void> {
  await client.views.publish({ user_id: userId, view: homeView(await homeModel(ctx.deps, userId)) });
}

/** `app_home_opened` (Home tab): publish my standup status and my open blockers. */
export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, event.user);
  });
}
