/**
 * The answer to someone acting on a blocker (services/blockers/act.ts), other than a refusal, as plain data;
 * rendered in src/slack/blocks/blocker-replies.ts. Durations are in milliseconds.
 * - `not-found`, `already-resolved` (by `resolvedBy`, when known): nothing to act on;
 * - `already-acknowledged`, `already-owner`, `ladder-exhausted`: nothing changes;
 * - `snooze-too-long`: the snooze asked for is not in (0, `maxMs`];
 * - `acknowledged` (`stopsEscalation` under `stop_when: acknowledged`), `resolved` (open for `openForMs`),
 *   `snoozed` (for `forMs`), `reassigned` (to `owner`), `escalating`: the change made.
 */
export type BlockerActReply =
  | { kind: 'not-found'; blockerId: number }
  | { kind: 'already-resolved'; blockerId: number; resolvedBy: string | null }
  | { kind: 'already-acknowledged'; blockerId: number }
  | { kind: 'acknowledged'; blockerId: number; stopsEscalation: boolean }
  | { kind: 'resolved'; blockerId: number; openForMs: number }
  | { kind: 'snooze-too-long'; maxMs: number }
  | { kind: 'snoozed'; blockerId: number; forMs: number }
  | { kind: 'already-owner'; blockerId: number; owner: string }
  | { kind: 'reassigned'; blockerId: number; owner: string }
  | { kind: 'ladder-exhausted'; blockerId: number }
  | { kind: 'escalating'; blockerId: number };
