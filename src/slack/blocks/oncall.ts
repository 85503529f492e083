import type { OncallNote } from '../../domain/oncall/note.js';
import type { RefreshResult, RotationStatus } from '../../services/oncall/rotations.js';
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

/**
 * `/preflight oncall [id]`: per rotation, who is on call now (until when) and who is next (from when), per which
 * source; a feed that could not be read says since when its last known rotation is shown. Times are `<!date>`
 * tokens (each reader's zone) with the fallback in `zone`, the viewer's. `refreshed` (after `refresh`) adds the
 * outcome of each read.
 */
export function oncallStatusText(statuses: readonly RotationStatus[], zone: string, refreshed?: readonly RefreshResult[]): string {
  const lines = statuses.map((s) => {
    const head = `📟 *${safeMrkdwn(s.name, 80)}* (\`${s.id}\`, per ${s.sourceLabel})`;
    const who = (p: NonNullable<RotationStatus['now']>) => (p.userId ? mention(p.userId) : `${safeMrkdwn(p.person, 120)} (no Slack account)`);
    const now = s.now ? `on call now: ${who(s.now)}${s.now.until ? ` until ${slackDate(s.now.until, zone, 'day time')}` : ''}` : s.known ? 'nobody on call now' : 'no rotation known yet';
    const next = s.next ? `; next: ${who(s.next)} from ${slackDate(s.next.from, zone, 'day time')}` : '';
    const stale = s.error ? `\n⚠️ ${safeMrkdwn(s.error, 300)}${s.fetchedAt ? ` (last read ${slackDate(s.fetchedAt, zone, 'ago')}: showing that rotation)` : ''}` : '';
    const r = refreshed?.find((x) => x.id === s.id);
    const outcome = r ? (r.ok ? `\n🔄 Read just now: ${r.shifts} shift${r.shifts === 1 ? '' : 's'}` : '') : '';
    return `${head}: ${now}${next}${stale}${outcome}`;
  });
  return lines.join('\n\n');
}

/** The App Home line: "📟 You are on call for Omega until Today 21:00 per PagerDuty" (one per rotation). */
export function myOnCallText(notes: readonly OncallNote[]): string {
  return notes
    .map((n) => {
      const until = n.until !== null ? ` until ${slackDate(n.until, n.zone, 'day time')}` : '';
      return `📟 You are on call for *${safeMrkdwn(n.name, 80)}*${until} per ${n.source}`;
    })
    .join('\n');
}
