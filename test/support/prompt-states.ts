/**
 * A subquery with one row per check-in prompt in the shape tests assert on: its member's part and its DM's fate in
 * one `status` (pending, sending, sent, failed, expired, skipped, ooo), `attempts` (claims without a recorded ts),
 * `dm_channel`, `prompt_ts`, `reminder_status` (none, sending, sent, not_needed) and `reminder_ts`, read from
 * `standup_prompts` and its deliveries (kinds `prompt` and `reminder`). Use as `FROM ${PROMPT_STATES} p`.
 */
export const PROMPT_STATES = `(SELECT p.id, p.run_id, p.user_id, p.zone, p.prompt_at, p.remind_at, p.close_at, p.dm_step, p.section,
    CASE WHEN p.status IN ('skipped', 'ooo') THEN p.status WHEN d.status = 'cancelled' THEN 'expired' ELSE d.status END AS status,
    coalesce(d.claims, 0) AS attempts, d.conversation AS dm_channel, d.ts AS prompt_ts,
    CASE rd.status WHEN 'sending' THEN 'sending' WHEN 'sent' THEN 'sent' WHEN 'cancelled' THEN 'not_needed' ELSE 'none' END AS reminder_status,
    rd.ts AS reminder_ts
  FROM standup_prompts p
  LEFT JOIN deliveries d ON d.kind = 'prompt' AND d.owner_key = p.id::text
  LEFT JOIN deliveries rd ON rd.kind = 'reminder' AND rd.owner_key = p.id::text)`;

/** SQL that leaves the prompt DM of the member `$1` (user id) as a process killed mid-call leaves it: claimed once at `$2`, no ts. */
export const CRASHED_PROMPT = `UPDATE deliveries d SET status = 'sending', claims = 1, attempts = 1, claimed_at = $2, first_claimed_at = $2
  FROM standup_prompts p WHERE d.kind = 'prompt' AND d.owner_key = p.id::text AND p.user_id = $1 RETURNING p.id`;
