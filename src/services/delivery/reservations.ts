import { standupPrompts } from '../../db/schema/index.js';
import type { StatusReservation } from './reservation.js';

/**
 * The messages whose reservation still lives in their own row's columns: a member's check-in prompt and its
 * reminder (standup_prompts). Every other message is a row of `deliveries` (services/delivery/transitions.ts);
 * these two move there next (issue 19, part 2). The `kind` is the message's `event_type` (`preflight_<kind>`) and
 * the first part of its reservation id (`<kind>-<row id>`).
 */

/** A member's standup prompt (standup_prompts.status). */
export const PROMPT = {
  kind: 'prompt',
  table: standupPrompts,
  id: standupPrompts.id,
  status: standupPrompts.status,
  values: { pending: 'pending', sending: 'sending', sent: 'sent', failed: 'failed' },
  claimedAt: standupPrompts.claimedAt,
  claims: standupPrompts.attempts,
  firstClaimedAt: standupPrompts.firstClaimedAt,
  ts: standupPrompts.promptTs,
  channel: standupPrompts.dmChannel,
  sentAt: standupPrompts.sentAt,
} satisfies StatusReservation<typeof standupPrompts>;

/** The single reminder to a member who has not answered (standup_prompts.reminder_status). */
export const REMINDER = {
  kind: 'reminder',
  table: standupPrompts,
  id: standupPrompts.id,
  status: standupPrompts.reminderStatus,
  values: { pending: 'none', sending: 'sending', sent: 'sent', failed: 'not_needed' },
  claimedAt: standupPrompts.reminderClaimedAt,
  claims: standupPrompts.reminderClaims,
  firstClaimedAt: standupPrompts.reminderFirstClaimedAt,
  ts: standupPrompts.reminderTs,
} satisfies StatusReservation<typeof standupPrompts>;

/** Every reservation with a status, for the stale-reservation release. */
export const STATUS_RESERVATIONS: readonly StatusReservation[] = [PROMPT, REMINDER];
