import { describe, expect, it } from 'vitest';
import { nextCheckinsSection } from '../../../../src/slack/blocks/home-next-checkins.js';

describe('App Home: Your next check-ins', () => {
  it('one line per check-in in the viewer’s zone, the DST note in italics, titles escaped', () => {
    const block = nextCheckinsSection({
      zone: 'America/New_York',
      items: [
        { when: 'Sun 8 Mar 03:30', title: 'Ops · Standup', dst: 'clocks go forward: 02:30 moves to 03:30' },
        { when: 'Mon 9 Mar 02:30', title: 'R&D <team> · Sync', dst: null },
      ],
    });
    expect(block).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Your next check-ins* (America/New_York)\n• Sun 8 Mar 03:30 · *Ops · Standup* _(clocks go forward: 02:30 moves to 03:30)_\n• Mon 9 Mar 02:30 · *R&amp;D &lt;team&gt; · Sync*',
      },
    });
  });

  it('says when there is none', () => {
    expect(nextCheckinsSection({ zone: 'UTC', items: [] })).toMatchObject({ text: { text: '*Your next check-ins* (UTC)\nNone in the next two weeks.' } });
  });
});
