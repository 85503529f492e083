import type { App } from '@slack/bolt';
import type { Logger } from 'pino';

/** The workspace (and Enterprise Grid org) this bot token is installed in, from `auth.test`. */
export interface Installation {
  teamId: string;
  enterpriseId: string | null;
}

/** The team and enterprise a request comes from, wherever Slack puts them in that payload type. */
export function requestOrigin(body: Record<string, any>): { teamId: string | null; enterpriseId: string | null } {
  const auth = Array.isArray(body.authorizations) ? body.authorizations[0] : undefined;
  const teamId = body.team_id ?? body.team?.id ?? body.user?.team_id ?? body.view?.team_id ?? auth?.team_id ?? null;
  const enterpriseId = body.enterprise_id ?? body.enterprise?.id ?? auth?.enterprise_id ?? null;
  return { teamId: typeof teamId === 'string' ? teamId : null, enterpriseId: typeof enterpriseId === 'string' ? enterpriseId : null };
}

/**
 * True when a request may be served: it comes from the installed workspace, or (org-wide installs, where
 * `team` can be null) from the installed Enterprise Grid org. Requests naming neither are let through
 * (the signature already proved they come from Slack for this app).
 */
export function isFromInstallation(origin: { teamId: string | null; enterpriseId: string | null }, inst: Installation): boolean {
  if (origin.enterpriseId && inst.enterpriseId) return origin.enterpriseId === inst.enterpriseId;
  if (origin.teamId) return origin.teamId === inst.teamId;
  return !origin.enterpriseId;
}

/**
 * Global middleware: refuses (and logs) requests from any workspace or enterprise other than the installed
 * one. Slash commands and interactions are acked with an ephemeral explanation; events are dropped.
 * @param installation resolves the installation (auth.test, done once at start).
 */
export function registerWorkspaceGuard(app: App, installation: () => Promise<Installation>, log: Logger): void {
  app.use(async (args) => {
    const inst = await installation();
    const origin = requestOrigin(args.body as Record<string, any>);
    if (isFromInstallation(origin, inst)) return args.next();
    log.warn({ origin, installed: inst }, 'request from another workspace refused');
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (ack) await ack({ response_type: 'ephemeral', text: 'This Preflight serves another Slack workspace, so it cannot act on this request.' }).catch(() => {});
  });
}
