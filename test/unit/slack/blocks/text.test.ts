import { describe, expect, it } from 'vitest';
import { CUT_MARKER, escapeMrkdwn, safeMrkdwn, truncate } from '../../../../src/slack/blocks/text.js';

describe('escapeMrkdwn', () => {
  it('neutralises mass mentions, user mentions and links', () => {
    const out = escapeMrkdwn('<!channel> <!here> <@U123> <http://evil|click> a & b');
    expect(out).toBe('&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;http://evil|click&gt; a &amp; b');
    expect(out).not.toMatch(/<[!@h]/);
  });
});

describe('truncate / safeMrkdwn', () => {
  it('leaves short text alone', () => {
    expect(truncate('hello', 10)).toBe('hello');
  });
  it('cuts with a marker, within the limit, never splitting an emoji', () => {
    const text = '🚀'.repeat(100);
    const out = truncate(text, 51);
    expect(out.length).toBeLessThanOrEqual(51);
    expect(out.endsWith(CUT_MARKER)).toBe(true);
    expect(out.slice(0, -CUT_MARKER.length)).toBe('🚀'.repeat(22));
  });
  it('fits the escaped result and never splits an entity', () => {
    const out = safeMrkdwn('<'.repeat(5000), 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.replace(CUT_MARKER, '')).toMatch(/^(&lt;)+$/);
  });
  it('handles a 100 kB string', () => {
    const out = safeMrkdwn('x&'.repeat(50_000), 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith(CUT_MARKER)).toBe(true);
  });
});
