import type { DateTime } from 'luxon';
import type { PlanChange, PlanStep } from '../../domain/plan/plan-diff.js';
import { clock, table } from '../preview/table.js';
import type { PlanComparison } from './comparison.js';

/** The words of a change's "What" cell for a subject (the summary names the thing). */
const WHAT: Record<PlanChange['subject'], string> = {
  prompt: 'prompt',
  reminder: 'reminder',
  gonogo_reminder: 'go/no-go reminder',
  gonogo_post: 'go/no-go post',
  gate_escalation: 'gate escalation',
  task_escalation: 'task escalation',
  blocker_escalation: 'blocker escalation',
  person: 'person',
  checkin: 'check-in',
  task: 'task',
  gate: 'gate',
  ladder: 'ladder',
};

/** "Tue 10:00 Europe/Berlin" (the preview's clock: a wall time that happens twice carries its offset), or null. */
function when(at: DateTime | null, zone: string): string | null {
  return at ? clock(at, zone, true) : null;
}

/** An old or new cell: its time in the change's zone and what is written (an owner, a check-in's `at`…), or "—". */
function cell(c: PlanChange, at: DateTime | null, value: string | null): string {
  const shown = c.subject === 'prompt' ? null : c.subject === 'checkin' && value && /^\d\d:\d\d$/.test(value) ? `${value} ${c.zone}` : value;
  return [when(at, c.zone), shown].filter(Boolean).join(', ') || '—';
}

/** One escalation step: "U0QA 15:00 → 16:00" in the recipient's zone ("—" where a plan has none in the span). */
function step(s: PlanStep): string {
  const t = (at: DateTime | null) => (at ? clock(at, s.zone, false) : '—');
  return `${s.to} ${t(s.old)} → ${t(s.new)}`;
}

/** The note of a change: a prompt's new answer close, a gate's or task's escalation steps, its condition. */
function note(c: PlanChange): string {
  const close = c.subject === 'prompt' && c.oldValue !== c.newValue && c.oldValue && c.newValue ? `answers close ${c.oldValue} → ${c.newValue}` : null;
  const steps = c.steps?.length ? `escalation: ${c.steps.map(step).join(', ')}` : null;
  return [close, steps, c.note].filter(Boolean).join('; ');
}

/** The rows of one section, with the first column (whom or which workstream) given once per group. */
function section(title: string, first: string | null, changes: readonly PlanChange[], key: (c: PlanChange) => string): string[] {
  if (changes.length === 0) return [];
  const t = table([...(first ? [first] : []), 'Change', 'What', 'Old', 'New', 'Note']);
  let last: string | null = null;
  for (const c of changes) {
    const k = key(c);
    const what = c.subject === 'person' ? c.summary : `${WHAT[c.subject]}: ${c.summary}${c.localDate ? ` (${c.localDate})` : ''}`;
    t.push([...(first ? [k === last ? '' : k] : []), c.change, what, cell(c, c.old, c.oldValue), cell(c, c.new, c.newValue), note(c)]);
    last = k;
  }
  return [title, t.toString(), ''];
}

/**
 * The comparison as text for a terminal: a header (the program, the span, the running plan and where it was read
 * from, the new file and both versions), then the changes per person (their DMs, times in their own zone), per
 * workstream (check-ins, tasks) and for the program (gates with their escalation steps, the go/no-go post, ladders),
 * in cli-table3 tables; "No changes in the next N days." when there are none.
 */
export function planToTable(c: PlanComparison): string {
  const z = c.diff.programZone;
  const last = c.diff.until.minus({ milliseconds: 1 }).setZone(z);
  const { running } = c;
  const from = running.source === 'database' ? 'recorded in the database' : 'the current file';
  const out = [
    `Preflight plan: ${c.programName}, ${c.diff.from.setZone(z).toFormat('ccc d LLL yyyy')} to ${last.toFormat('ccc d LLL yyyy')} (${c.days} day${c.days === 1 ? '' : 's'}, times in each person's zone)`,
    `Running: version ${running.version} (${from}: ${running.file})`,
    `New:     version ${c.next.version} (${c.next.file})`,
    running.detail,
    '',
  ];
  const { changes } = c.diff;
  if (changes.length === 0) out.push(`No changes in the next ${c.days} day${c.days === 1 ? '' : 's'}.`);
  else {
    out.push(
      ...section(
        'People',
        'Person',
        changes.filter((x) => x.person !== null),
        (x) => x.person!,
      ),
      ...section(
        'Workstreams',
        'Workstream',
        changes.filter((x) => x.person === null && x.workstreamId !== null),
        (x) => x.workstreamId!,
      ),
      ...section(
        'Program',
        null,
        changes.filter((x) => x.person === null && x.workstreamId === null),
        () => '',
      ),
    );
  }
  return out
    .join('\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trimEnd();
}
