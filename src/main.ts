/**
 * Entry point (`npm start`, `node dist/main.js`): reads the environment and waits for Redis with the few modules
 * that needs, then loads the bot (src/preflight.ts, most of the start-up time under tsx on a busy box). So a wrong
 * REDIS_URL ends start-up with one line (and nothing before it) REDIS_BOOT_DEADLINE_MS after the process started,
 * or 2 s after this module ran if loading it took longer.
 */
import { loadDotEnv } from './config/dotenv.js';
import { EnvError, loadEnv } from './config/env.js';
import { REDIS_BOOT_DEADLINE_MS, redisBootWaitMs, redisConnection, redisReady, redisUrlForDisplay } from './jobs/connection.js';
import { failStart } from './start-failure.js';

// `.env` in the working directory, when there is one (variables already set win): the quick start's `cp .env.example .env`
loadDotEnv();

const env = (() => {
  try {
    return loadEnv();
  } catch (err) {
    if (err instanceof EnvError) failStart(`Preflight cannot start. ${err.message}\nSee .env.example for what each variable means.`);
    throw err;
  }
})();

// The connection's errors are not logged while it is waited for (the one line carries the last one); the bot logs
// them from then on.
let onRedisError: (err: Error) => void = () => {};
const producer = redisConnection(env.REDIS, 'producer', (err) => onRedisError(err));
const redisUp = redisReady(producer, redisBootWaitMs(process.uptime() * 1000)).catch((err: Error) =>
  failStart(
    `Preflight cannot start: Redis at REDIS_URL (${redisUrlForDisplay(env.REDIS_URL)}) did not answer within ${REDIS_BOOT_DEADLINE_MS / 1000} s of start-up (${err.message}): check REDIS_URL and that Redis is running.`,
  ),
);
await redisUp;
// Module loading blocks the event loop (tsx's hooks answer synchronously): the bot loads once Redis has answered,
// so the wait above ends on time.
const { startPreflight } = await import('./preflight.js');
await startPreflight(env, producer, (handler) => {
  onRedisError = handler;
});
