import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';

/** pino-pretty, loaded only when a pretty logger is made (JSON-only processes never load it). */
const loadPretty = () => createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => PrettyStream;

/**
 * Paths pino replaces with "[redacted]": anything that could carry a Slack token, signing secret or API token.
 * (Values are also never interpolated into messages; see test/unit/logger.test.ts.)
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'headers.authorization',
  '*.headers.authorization',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'METRICS_TOKEN',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  'PREFLIGHT_API_TOKEN',
  '*.PREFLIGHT_API_TOKEN',
  '*.METRICS_TOKEN',
  // token rotation (issue 24): the refresh token and client secret, and Slack's oauth.v2.access answer's fields
  'SLACK_REFRESH_TOKEN',
  '*.SLACK_REFRESH_TOKEN',
  'SLACK_CLIENT_SECRET',
  '*.SLACK_CLIENT_SECRET',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'client_secret',
  '*.client_secret',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
];

export type LogFormat = 'json' | 'pretty';

/**
 * The log format: `LOG_FORMAT` when set; otherwise human-readable (`pretty`) when stdout is a terminal and
 * JSON lines when it is not (a container, a pipe, a file: what log collectors read).
 */
export function logFormat(configured: LogFormat | undefined, stdoutIsTTY: boolean | undefined = process.stdout.isTTY): LogFormat {
  return configured ?? (stdoutIsTTY ? 'pretty' : 'json');
}

/**
 * The process logger, level from LOG_LEVEL. `json`: one JSON object per line (`level` as pino's number, `time`
 * in ms since the epoch, `app: "preflight"`). `pretty`: pino-pretty's one-line-per-entry text, written in-process
 * (no worker thread), colours only on a terminal. Both go to stdout, or to `destination` (tests).
 */
export function createLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'preflight' } };
  if (format === 'pretty') {
    const stream = loadPretty()({
      destination: destination ?? 1,
      colorize: destination ? false : Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      sync: true,
    });
    return pino(options, stream);
  }
  return pino(options, destination);
}
