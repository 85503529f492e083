import { describe, expect, it } from 'vitest';
import type { RenderContext } from '../../../../sandbox/render/directory.js';
import { mrkdwnToHtml, mrkdwnToPlain } from '../../../../sandbox/render/mrkdwn.js';

const NOW = Date.parse('2026-02-04T15:00:00Z');
const ctx: RenderContext = { userName: (id) => (id === 'U1' ? 'Ana <admin>' : id), channelName: (id) => (id === 'C1' ? 'launch' : id), zone: 'America/New_York', now: NOW };
const html = (s: string) => mrkdwnToHtml(s, ctx);

describe('mrkdwn → HTML (docs.slack.dev/messaging/formatting-message-text)', () => {
  it('bold, italics, strike, code, pre', () => {
    expect(html('*bold* _it_ ~gone~ `x<y`')).toBe('<b>bold</b> <i>it</i> <s>gone</s> <code>x&lt;y</code>');
    expect(html('```\n*not bold* <@U1>\n```')).toBe('<pre>*not bold* &lt;@U1&gt;\n</pre>');
    expect(html('a*b*c 2*3*4 snake_case_name')).toBe('a*b*c 2*3*4 snake_case_name');
    expect(html('*1/5* What')).toBe('<b>1/5</b> What');
  });

  it('links, mentions, broadcasts and dates in the reader’s zone', () => {
    expect(html('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener">the docs</a>');
    expect(html('<@U1> in <#C1> or <#C9|ops>, <!here>')).toBe(
      '<span class="mention">@Ana &lt;admin&gt;</span> in <span class="mention">#launch</span> or <span class="mention">#ops</span>, <span class="mention">@here</span>',
    );
    expect(html(`<!date^${NOW / 1000}^{date_short_pretty} {time}|fallback>`)).toBe(`<time datetime="2026-02-04T15:00:00.000Z">today 10:00 AM</time>`);
    expect(html(`<!date^${NOW / 1000 - 7200}^{ago}|x>`)).toContain('2 hours ago');
    expect(html(`<!date^${NOW / 1000 - 86_400}^{date_num} {date_long_pretty}|x>`)).toContain('2026-02-03 yesterday');
    expect(html(`<!date^1392734382^{date_long} {time_secs}|x>`)).toContain('Tuesday, February 18th, 2014 9:39:42 AM');
  });

  it('quotes and lists', () => {
    expect(html('> quoted\n> more\nafter')).toBe('<blockquote>quoted<br>more</blockquote>after');
    expect(html('Items:\n• one\n• *two*\ndone')).toBe('Items:<ul><li>one</li><li><b>two</b></li></ul>done');
    expect(html('1. first\n2. second')).toBe('<ol><li>first</li><li>second</li></ol>');
  });

  it('hostile input never becomes markup', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '&lt;img src=x onerror=alert(1)&gt;',
      '<javascript:alert(1)|click me>',
      '<https://ok.example/" onmouseover="alert(1)|x>',
      '*<img src=x onerror=alert(1)>*',
      '`</code><script>x</script>`',
      '```</pre><iframe src=x>```',
      '<!date^1^{date}^javascript:alert(1)|x>',
      `<@U1"><svg onload=alert(1)>>`,
      '\uE0000\uE001 placeholder forgery',
    ];
    for (const a of attacks) {
      const out = html(a);
      expect(out, a).not.toMatch(/<(script|img|iframe|svg)\b/i);
      expect(out, a).not.toMatch(/\son\w+="/i);
      expect(out, a).not.toMatch(/href="javascript:/i);
    }
    expect(html('<javascript:alert(1)|click me>')).toBe('click me');
    expect(html('&lt;b&gt; &amp;amp;')).toBe('&lt;b&gt; &amp;amp;');
  });
});

describe('mrkdwn → plain text with names (a workflow step’s error on the page)', () => {
  it('mentions read as names, links as their label, entities decoded', () => {
    expect(mrkdwnToPlain("Only API's leads or the PM can start its standup: <@U1>, <@U0PM>.", ctx)).toBe("Only API's leads or the PM can start its standup: @Ana <admin>, @U0PM.");
    expect(mrkdwnToPlain('in <#C1> or <#C9|ops>, <!here>, <!subteam^S1|@leads>: <https://x.example/a|the docs> &amp; &lt;b&gt;', ctx)).toBe('in #launch or #ops, @here, @leads: the docs & <b>');
    expect(mrkdwnToPlain('no markup, *bold* stays', ctx)).toBe('no markup, *bold* stays');
  });
});
