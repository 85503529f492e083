import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat } from '../../src/logger.js';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logFormat', () => {
  it('JSON unless stdout is a terminal; LOG_FORMAT wins either way', () => {
    expect(logFormat(undefined, false)).toBe('json');
    expect(logFormat(undefined, undefined)).toBe('json');
    expect(logFormat(undefined, true)).toBe('pretty');
    expect(logFormat('json', true)).toBe('json');
    expect(logFormat('pretty', false)).toBe('pretty');
  });
});

describe('createLogger', () => {
  it('json: one JSON object per line, secrets redacted', () => {
    const out = capture();
    const log = createLogger('info', out.stream, 'json');
    log.info({ blocker: 7, token: 'xoxb-secret' }, 'blocker escalated');
    log.debug('not at info');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, app: 'preflight', blocker: 7, token: '[redacted]', msg: 'blocker escalated' });
  });

  it('token rotation (issue 24): refresh tokens, access tokens and the client secret are redacted, as fields or nested', () => {
    const out = capture();
    const log = createLogger('info', out.stream, 'json');
    const answer = { access_token: 'xoxe.xoxb-1-a', refresh_token: 'xoxe-1-r', expires_in: 43_200 };
    log.info({ SLACK_REFRESH_TOKEN: 'xoxe-1-env', SLACK_CLIENT_SECRET: 'shh', answer, tokens: { accessToken: 'xoxe.xoxb-1-b', refreshToken: 'xoxe-1-s' }, client_secret: 'shh2' }, 'refreshed');
    const text = out.text();
    for (const secret of ['xoxe.xoxb-1-a', 'xoxe-1-r', 'xoxe-1-env', 'shh', 'xoxe.xoxb-1-b', 'xoxe-1-s']) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toMatchObject({ answer: { expires_in: 43_200, access_token: '[redacted]' }, SLACK_REFRESH_TOKEN: '[redacted]' });
  });

  it('pretty: a human-readable line (level name, message, fields), no colour codes off a terminal, secrets redacted', async () => {
    const out = capture();
    const log = createLogger('info', out.stream, 'pretty');
    log.warn({ queue: 'dm', METRICS_TOKEN: 'abc' }, 'job failed');
    await new Promise((r) => setImmediate(r));
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: job failed\n/);
    expect(text).toContain('queue: "dm"');
    expect(text).toContain('METRICS_TOKEN: "[redacted]"');
    expect(text).not.toContain('{"level"');
    expect(text).not.toContain('\u001b[');
  });
});
