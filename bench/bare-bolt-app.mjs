/**
 * The floor for bench/blocker-ack-latency.ts: a bare Bolt app (HTTPReceiver, signature verification on, the
 * same endpoint and signing secret as Preflight) whose `/blocker` handler only calls `ack()`. Started as its
 * own process. Plain JavaScript, so that it runs the way production runs Preflight (`node dist/main.js`, no
 * TypeScript loader): `node bench/bare-bolt-app.mjs`; with `--run tsx` the bench starts it with
 * `node --import tsx` like `npm start`. Env: PORT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL (the
 * Slack fake, for the auth.test Bolt makes at start-up).
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT ?? 3000);
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  signatureVerification: true,
  logLevel: LogLevel.WARN,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.WARN,
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
});
app.command('/blocker', async ({ ack }) => {
  await ack();
});

await app.start(port);
console.log(JSON.stringify({ msg: 'bare bolt app listening', port }));

const stop = async () => {
  try {
    await app.stop();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
