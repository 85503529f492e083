import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Program } from '../domain/program/program.js';
import type { MessageRenderer } from './delivery/renderer.js';
import type { Observer } from './observer.js';
import type { Wakeups } from './wakeups.js';
import type { BoardLookup } from './warroom/board-ref.js';

/**
 * What every use case receives. Passing these in (rather than importing singletons) is what lets tests run
 * the same code on a real database with a fixed clock and a Slack Web API faked at the HTTP boundary.
 */
export interface Deps {
  db: Db;
  /** The resolved program (src/config/resolve.ts): preflight.yml with every default applied; one immutable value. */
  config: Program;
  clock: Clock;
  /** Slack Web API client; in workers it is built with `rejectRateLimitedCalls: true`. */
  slack: WebClient;
  wakeups: Wakeups;
  /** Turns the services' message models into Slack messages (Block Kit lives in src/slack/blocks). */
  renderer: MessageRenderer;
  log: Logger;
  /**
   * Runs `fn` so that a Web API call a rate limit holds now (a 429's Retry-After or its pacing) fails at once with
   * Slack's rate-limited error instead of waiting (src/slack/rate-limit-gate.ts `refusingHeldCalls`). Absent (most
   * tests): `fn` runs as it is.
   */
  refusingHeldSlackCalls?<T>(fn: () => Promise<T>): Promise<T>;
  /** Monitoring hooks (src/metrics in production); absent in most tests. */
  observer?: Observer;
  /**
   * Where the launch board is (issue 23): the war room pins a link to it. Absent (production), the war room asks the
   * board's `boardRef(deps)` (services/board); tests may put a lookup of their own here.
   */
  warRoomBoard?: BoardLookup;
}
