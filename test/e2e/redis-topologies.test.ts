import { execFileSync } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/config/redis.js';
import { redisConnection } from '../../src/jobs/connection.js';
import { postToSlackEndpoint, startBot, type BotProcess } from '../support/bot-process.js';
import { createTestDatabase } from '../support/db.js';
import { privateCluster, privateSentinel } from '../support/private-services.js';
import { SlackApiFake } from '../support/slack-api-fake.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { EVERY_DAY, standupTimeAwayFromNow } from '../support/standup-time.js';

const SECRET = 'e2e-topologies-signing-secret';
const CONFIG = `
program: { name: Phase 11, timezone: UTC, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: ${EVERY_DAY} }
escalation:
  sweep_every: 1s
  ladders:
    P1: [{ after: 1s, notify: lead }, { after: 1h, notify: pm }]
workstreams:
  ws1:
    name: Broker Integration
    channel: C0WS1
    blockers_channel: C0BLK
    leads: [U0LEAD]
    members: [U01]
    standup: { at: "${standupTimeAwayFromNow('UTC')}" }
`;

/** Starts the real bot on `redisUrl`, raises a P1 blocker over signed HTTP and waits for the lead's ping (a delayed escalation job, which sends the DM). */
async function blockerEscalatesThrough(redisUrl: string, queuePrefix: string): Promise<void> {
  const fake = await new SlackApiFake().start();
  const db = await createTestDatabase();
  let bot: BotProcess | undefined;
  try {
    bot = await startBot({ SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, DATABASE_URL: db.url, REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix }, CONFIG);
    expect(await (await fetch(`${bot.baseUrl}/healthz`)).json()).toMatchObject({ ok: true, redis: 'ok' });
    const res = await postToSlackEndpoint(
      bot.baseUrl,
      SECRET,
      slashCommandBody({ command: '/blocker', text: 'Staging DB is down P1', userId: 'U01', channelId: 'C0WS1' }),
      'application/x-www-form-urlencoded',
    );
    expect(await res.json()).toMatchObject({ text: expect.stringContaining('Raised *B-1* (P1)') });
    await fake.waitFor('blocker message', () => fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK').length >= 1);
    await fake.waitFor('lead pinged', () => fake.ok('chat.postMessage', (a) => a.channel === 'U0LEAD').length === 1, 15_000);
    expect(await bot.stop()).toBe(0);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- bot output ---\n${bot?.output() ?? ''}`);
  } finally {
    await bot?.stop();
    await fake.stop();
    await db.drop();
  }
}

describe('Redis Sentinel', () => {
  let sentinel: Awaited<ReturnType<typeof privateSentinel>> | undefined;
  afterAll(async () => sentinel?.destroy());

  it('the bot finds the master through the Sentinel and runs its queues there', async () => {
    sentinel = await privateSentinel();
    await blockerEscalatesThrough(sentinel.url, 'preflight');
    const keys = execFileSync('redis-cli', ['-p', String(sentinel.masterPort), '--scan', '--pattern', 'preflight:*']).toString();
    expect(keys).toContain('preflight:escalation:');
  }, 90_000);
});

describe('Redis Cluster', () => {
  let cluster: Awaited<ReturnType<typeof privateCluster>> | undefined;
  afterAll(async () => cluster?.destroy());

  it('BullMQ needs a hash tag: without one a job add fails with CROSSSLOT; QUEUE_PREFIX=preflight becomes {preflight} and the bot runs', async () => {
    cluster = await privateCluster();
    const target = parseRedisUrl(cluster.url);
    const conn = redisConnection(target, 'producer', () => {});
    const untagged = new Queue('dm', { connection: conn, prefix: 'untagged' });
    await expect(untagged.add('x', {})).rejects.toThrow(/CROSSSLOT/);
    await untagged.close();
    conn.disconnect();

    await blockerEscalatesThrough(cluster.url, 'preflight');
    // every key of every queue sits in {preflight}'s slot, i.e. on one node
    const keysPerNode = cluster.ports.map((p) =>
      execFileSync('redis-cli', ['-p', String(p), '--scan'])
        .toString()
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    const all = keysPerNode.flat().filter((k) => !k.startsWith('untagged:'));
    expect(all.some((k) => k.startsWith('{preflight}:escalation:'))).toBe(true);
    expect(all.filter((k) => !k.startsWith('{preflight}:'))).toEqual([]);
    expect(keysPerNode.filter((keys) => keys.some((k) => k.startsWith('{preflight}:'))).length).toBe(1);
  }, 90_000);
});
