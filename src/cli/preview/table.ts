import Table from 'cli-table3';
import { DateTime } from 'luxon';
import type { Preview, PreviewEvent, SkippedDay } from '../../domain/preview/events.js';

const WHAT: Record<PreviewEvent['kind'], string> = {
  checkin_prompt: 'prompt',
  checkin_reminder: 'reminder',
  checkin_close: 'close',
  gonogo_reminder: 'go/no-go reminder',
  gonogo_post: 'go/no-go post',
  gate_due: 'gate due',
  gate_escalation: 'gate escalation',
  task_due: 'task due',
  task_escalation: 'task escalation',
  blocker_escalation: 'blocker escalation',
};

/** A borderless, compact cli-table3 table (columns aligned with spaces, wide characters measured); `npm run plan` uses it too. */
export function table(head: string[]): Table.Table {
  const none = {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: '  ',
  };
  return new Table({ head, chars: none, style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 } });
}

/**
 * "09:00" in `zone` ("Tue 09:00 Europe/Paris" with `withZone`). A wall time that happens twice that day (the hour the
 * clocks go back) carries its offset, "01:00 UTC-5", so the two are told apart. `npm run plan` uses it too.
 */
export function clock(at: DateTime, zone: string, withZone: boolean): string {
  const local = at.setZone(zone);
  const twice = DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute }, { zone }).getPossibleOffsets().length > 1;
  const time = `${local.toFormat('HH:mm')}${twice ? ` UTC${local.toFormat('Z')}` : ''}`;
  return withZone ? `${local.toFormat('ccc')} ${time} ${zone}` : time;
}

/** The header lines: what was previewed, over which span, and from what (config alone or config and live state). */
export function previewHeader(preview: Preview, programName: string, source: string): string {
  const z = preview.programZone;
  const last = preview.until.minus({ milliseconds: 1 }).setZone(z);
  const days = Math.round(preview.until.diff(preview.from, 'days').days);
  return [
    `Preflight preview: ${programName}, ${preview.from.setZone(z).toFormat('ccc d LLL yyyy')} to ${last.toFormat('ccc d LLL yyyy')} (${days} day${days === 1 ? '' : 's'}, times in ${z} and each recipient's zone)`,
    source,
  ].join('\n');
}

/**
 * The preview as text tables for a terminal: per program-local day, every event with the program's time, the
 * recipient's own time and zone, what happens, for which workstream/check-in or gate, to whom, and notes
 * (conditions, DST changes); then the skipped days with their reasons.
 */
export function previewToTable(preview: Preview, programName: string, source: string): string {
  const z = preview.programZone;
  const out = [previewHeader(preview, programName, source), ''];
  const days = new Map<string, PreviewEvent[]>();
  for (const e of preview.events) {
    const day = e.at.setZone(z).toFormat('cccc d LLLL yyyy');
    days.set(day, [...(days.get(day) ?? []), e]);
  }
  if (days.size === 0) out.push('Nothing happens in this span.', '');
  for (const [day, events] of days) {
    const t = table(['Program', 'Their time', 'What', 'For', 'To', 'Note']);
    for (const e of events) {
      const forWhat = e.checkinId
        ? `${e.workstreamId} · ${e.checkinId} (${e.localDate})`
        : e.gateId
          ? `gate ${e.gateId}`
          : e.taskId
            ? `task ${e.taskId} (${e.workstreamId})`
            : e.blockerId
              ? `B-${e.blockerId}`
              : 'program';
      const note = [e.kind === 'blocker_escalation' || e.kind === 'gate_escalation' || e.kind === 'task_escalation' ? e.summary : null, e.condition, e.dst].filter(Boolean).join('; ');
      t.push([clock(e.at, z, false), e.to ? clock(e.at, e.zone, true) : '', WHAT[e.kind], forWhat, e.to ?? '', note]);
    }
    out.push(day, t.toString(), '');
  }
  if (preview.skipped.length) out.push('Skipped', skippedTable(preview.skipped), '');
  return out
    .join('\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** The skipped days: date, workstream · check-in, who (everyone or one participant) and why. */
function skippedTable(skipped: readonly SkippedDay[]): string {
  const t = table(['Date', 'For', 'Who', 'Why']);
  for (const s of skipped) t.push([s.localDate, `${s.workstreamId} · ${s.checkinId}`, s.userId ?? 'everyone', s.detail]);
  return t.toString();
}
