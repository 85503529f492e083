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
