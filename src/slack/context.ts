import type { KnownBlock } from '@slack/types';
import type { Cluster, Redis } from 'ioredis';
import type { Deps } from '../services/deps.js';
import type { PlanControl } from '../services/plan/reload.js';

/** What every Bolt listener gets: the use-case deps (with the listener-side WebClient) and Redis for click dedupe. */
export interface SlackContext {
  deps: Deps;
  redis: Redis | Cluster;
  /** Prefix of Preflight's own Redis keys (`QUEUE_PREFIX`), so installs sharing one Redis never dedupe each other's clicks. */
  keyPrefix: string;
  /** The running plan and its reloader (src/preflight.ts); absent where the plan is fixed (most tests). */
  plan?: PlanControl;
}

/** A slash command's ephemeral answer (what `ack()` sends back): text, and blocks when given. */
export const ephemeral = (text: string, blocks?: KnownBlock[]) => ({ response_type: 'ephemeral' as const, text, ...(blocks ? { blocks } : {}) });

/** The ephemeral answer when something on our side failed: nothing half-written, try again. */
export const TRY_AGAIN = '⚠️ Preflight could not save that just now (its database or queue is not answering). Nothing was changed: please try again in a minute.';
