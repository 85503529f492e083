import { pino, type Logger } from 'pino';

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
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  'PREFLIGHT_API_TOKEN',
  '*.PREFLIGHT_API_TOKEN',
];

/** The process logger: JSON lines on stdout (or `destination`), level from LOG_LEVEL. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'preflight' } }, destination);
}
