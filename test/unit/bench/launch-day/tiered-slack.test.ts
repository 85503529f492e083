import { describe, expect, it } from 'vitest';
import { type TieredCall, TieredSlack } from '../../../../bench/launch-day/tiered-slack.js';

/** A recorded call, as the front records it (times in ms on an arbitrary origin). */
const call = (c: Partial<TieredCall> & Pick<TieredCall, 'method' | 'arrivedAt'>): TieredCall => ({ channel: '', text: '', status: 200, at: c.arrivedAt + 30, ...c });

describe('TieredSlack.callsIgnoringRetryAfter (the launch-day bench: 429s the bot did not back off from)', () => {
  it('counts only calls under the same limit that arrived after the 429 was answered and before its Retry-After ran out', () => {
    const front = new TieredSlack();
    front.calls.push(
      // a workspace-wide 429 on chat.postMessage at t=1000, Retry-After 2 s
      call({ method: 'chat.postMessage', channel: 'U1', arrivedAt: 1_000, at: 1_000, status: 429, retryAfterS: 2, limitedBy: 'workspace' }),
      call({ method: 'chat.postMessage', channel: 'U2', arrivedAt: 990 }), // in flight already: not the bot's fault
      call({ method: 'chat.postMessage', channel: 'U3', arrivedAt: 1_500 }), // early
      call({ method: 'chat.postMessage', channel: 'C9', arrivedAt: 2_999, status: 429, retryAfterS: 1, limitedBy: 'workspace' }), // early too
      call({ method: 'chat.update', channel: 'C9', arrivedAt: 1_600 }), // another method's tier: fine
      call({ method: 'chat.postMessage', channel: 'U4', arrivedAt: 3_000 }), // the wait is over
      // a per-channel 429: only that channel's posts must wait
      call({ method: 'chat.postMessage', channel: 'D7', arrivedAt: 10_000, at: 10_000, status: 429, retryAfterS: 1, limitedBy: 'channel' }),
      call({ method: 'chat.postMessage', channel: 'D8', arrivedAt: 10_200 }),
      call({ method: 'chat.postMessage', channel: 'D7', arrivedAt: 10_300 }), // early
      // a method tier's 429
      call({ method: 'chat.update', channel: 'C1', arrivedAt: 20_000, at: 20_000, status: 429, retryAfterS: 3, limitedBy: 'method' }),
      call({ method: 'chat.update', channel: 'C2', arrivedAt: 22_000 }), // early
      call({ method: 'chat.postMessage', channel: 'C2', arrivedAt: 22_000 }),
    );
    expect(front.callsIgnoringRetryAfter()).toEqual({
      early: 4,
      byLimit: { 'chat.postMessage (workspace)': 2, 'chat.postMessage (channel)': 1, 'chat.update (method)': 1 },
    });
  });

  it('is 0 when every call waited its Retry-After', () => {
    const front = new TieredSlack();
    front.calls.push(
      call({ method: 'chat.postMessage', channel: 'U1', arrivedAt: 1_000, at: 1_000, status: 429, retryAfterS: 1, limitedBy: 'workspace' }),
      call({ method: 'chat.postMessage', channel: 'U1', arrivedAt: 2_000 }),
    );
    expect(front.callsIgnoringRetryAfter()).toEqual({ early: 0, byLimit: {} });
  });
});
