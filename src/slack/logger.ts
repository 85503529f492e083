import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Adapts our pino logger to the Logger interface Bolt and @slack/web-api expect. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const fmt = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...m) => child.debug(fmt(m)),
    info: (...m) => child.info(fmt(m)),
    warn: (...m) => child.warn(fmt(m)),
    error: (...m) => child.error(fmt(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
