import type { WebClient } from '@slack/web-api';

/** A Slack user ID as Preflight's config writes them (U… or W…). */
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * The Slack user ID a `--person` argument names: a user ID as given, or an email looked up with
 * `users.lookupByEmail` (needs the `users:read.email` scope).
 * @throws Error with a one-line reason: not an ID or email, no Slack client (no SLACK_BOT_TOKEN), or Slack's
 * error (`users_not_found`, `missing_scope`, `invalid_auth`…).
 */
export async function resolvePerson(person: string, slack: WebClient | null): Promise<string> {
  if (USER_ID.test(person)) return person;
  if (!person.includes('@')) throw new Error(`--person ${person}: expected a Slack user ID such as U012AB3CD or an email`);
  if (!slack) throw new Error(`--person ${person}: looking up an email needs SLACK_BOT_TOKEN (scope users:read.email); or give the user ID`);
  try {
    const res = await slack.users.lookupByEmail({ email: person });
    if (res.user?.id) return res.user.id;
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new Error(`--person ${person}: Slack could not look it up (${code})`);
  }
  throw new Error(`--person ${person}: no Slack user has that email`);
}
