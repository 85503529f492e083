import type { OncallNote } from '../../domain/oncall/note.js';
import { plainTime, slackDate } from './slack-date.js';
import { mention, safeMrkdwn } from './text.js';

/*
 * How Slack messages say who is on call (issue 22): the escalation DM, the blocker's timeline, `/preflight oncall`.
 */

const at = (sec: number, zone: string, plain: boolean) => (plain ? plainTime(sec, zone, 'day time') : slackDate(sec, zone, 'day time'));

/**
 * "@ana on call for Omega until Today 21:00 per PagerDuty", or "nobody known on call for Omega (per PagerDuty)";
 * a feed that could not be read adds "(last known rotation: PagerDuty could not be read since …)". Times are
 * `<!date>` tokens (each reader's zone) with the fallback in `note.zone`; `plain` writes plain text instead.
 */
export function oncallNoteText(note: OncallNote, plain = false): string {
  const name = safeMrkdwn(note.name, 80);
  const stale = note.staleSince !== null ? ` (last known rotation: ${note.source} could not be read since ${at(note.staleSince, note.zone, plain)})` : '';
  if (!note.userId) {
    const who = note.person ? `${safeMrkdwn(note.person, 120)} is on call for ${name} per ${note.source} but has no Slack account` : `nobody is known on call for ${name} (per ${note.source})`;
    return `${who}${stale}`;
  }
  const until = note.until !== null ? ` until ${at(note.until, note.zone, plain)}` : '';
  return `${mention(note.userId)} on call for ${name}${until} per ${note.source}${stale}`;
}

/** The timeline's suffix for a step that named rotations: "; @ana on call for Omega until … per PagerDuty". */
export function oncallNotesSuffix(notes: readonly OncallNote[] | undefined): string {
  if (!Array.isArray(notes) || notes.length === 0) return '';
  return ` · ${notes.map((n) => oncallNoteText(n)).join(' · ')}`;
}
