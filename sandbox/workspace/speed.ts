import { DateTime } from 'luxon';
import ms from 'ms';

/*
 * `--speed N`: a transform over the parsed (not yet validated) preflight.yml object so a launch day plays in
 * minutes. Durations are divided by N (at least 1 s, ladder levels kept strictly increasing), the scheduler
 * ticks every second, and every check-in time is moved so the earliest starts within a minute of now, the
 * others keeping their spacing divided by N; the go/no-go time and gate due times follow the same clock, on
 * today's date. The calendar allows every day so the run happens whatever today is.
 *
 * The check-in times are found by `checkinTimes` (program `standup.at` and each workstream's): to compress a
 * further list of times (e.g. `checkins[].at`), add its accessors there.
 */

type AnyObj = Record<string, any>;

/** A settable time of day ("HH:MM") somewhere in the config, in the zone it is read in. */
interface TimeSlot {
  get(): string;
  set(hhmm: string): void;
  zone: string;
}

const DURATION = /^(\d+)\s*(s|m|h|d)$/;

function divide(value: unknown, n: number): string | undefined {
  if (typeof value !== 'string' || !DURATION.test(value.trim())) return undefined;
  const total = ms(value.trim().replace(/\s+/g, '') as ms.StringValue);
  return `${Math.max(1, Math.round(total / n / 1000))}s`;
}

const obj = (v: unknown): AnyObj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as AnyObj) : undefined);

/** `parent[key]` as an object, created (empty) when it is missing. */
function child(parent: AnyObj, key: string): AnyObj {
  const found = obj(parent[key]);
  if (found) return found;
  parent[key] = {};
  return parent[key] as AnyObj;
}

/** Every check-in time in the config: the program's standup time and each workstream's (its own or the program's). */
function checkinTimes(raw: AnyObj, programZone: string): TimeSlot[] {
  const slots: TimeSlot[] = [];
  const program = child(raw, 'standup');
  const programAt = typeof program.at === 'string' ? program.at : '10:00';
  slots.push({ get: () => programAt, set: (v) => (program.at = v), zone: programZone });
  for (const ws of Object.values(obj(raw.workstreams) ?? {})) {
    const w = obj(ws);
    if (!w) continue;
    const standup = child(w, 'standup');
    const at = typeof standup.at === 'string' ? standup.at : programAt;
    slots.push({ get: () => at, set: (v) => (standup.at = v), zone: typeof w.timezone === 'string' ? w.timezone : programZone });
  }
  return slots;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * Compresses time in a raw preflight.yml object (mutates and returns it).
 * @param raw the YAML document as plain JS (durations still strings such as "30m").
 * @param speed N ≥ 1: durations ÷ N, check-in spacing ÷ N.
 * @param nowMs epoch ms the compressed day starts from (the first check-in is 1–2 minutes after it).
 */
export function compressTime(raw: AnyObj, speed: number, nowMs: number): AnyObj {
  if (!(speed >= 1)) throw new Error(`--speed must be a number ≥ 1 (got ${speed})`);
  const programZone = typeof raw.program?.timezone === 'string' ? raw.program.timezone : 'UTC';
  // durations ÷ N
  const program = child(raw, 'standup');
  program.remind_after = divide(program.remind_after ?? '30m', speed);
  program.close_after = divide(program.close_after ?? '2h', speed);
  for (const w of Object.values(obj(raw.workstreams) ?? {})) {
    const s = obj(obj(w)?.standup);
    if (!s) continue;
    if (s.remind_after !== undefined) s.remind_after = divide(s.remind_after, speed);
    if (s.close_after !== undefined) s.close_after = divide(s.close_after, speed);
  }
  const esc = child(raw, 'escalation');
  const ladders = child(esc, 'ladders');
  const defaults: AnyObj = {
    P0: [
      { after: '5m', notify: 'lead' },
      { after: '15m', notify: 'pm' },
      { after: '30m', notify: 'exec' },
    ],
    P1: [
      { after: '15m', notify: 'lead' },
      { after: '30m', notify: 'pm' },
      { after: '1h', notify: 'exec' },
    ],
    P2: [
      { after: '1h', notify: 'lead' },
      { after: '4h', notify: 'pm' },
    ],
  };
  for (const sev of ['P0', 'P1', 'P2']) {
    const levels = (Array.isArray(ladders[sev]) ? ladders[sev] : defaults[sev]) as AnyObj[];
    let last = 0;
    ladders[sev] = levels.map((l) => {
      const sec = Math.max(last + 1, Number(divide(l.after, speed)?.slice(0, -1) ?? 1));
      last = sec;
      return { ...l, after: `${sec}s` };
    });
  }
  if (obj(esc.repeat)) esc.repeat.every = divide(esc.repeat.every, speed);
  esc.sweep_every = '5s';
  raw.scheduler = { ...(obj(raw.scheduler) ?? {}), tick: '1s' };
  raw.calendar = { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], holidays: [] };

  // check-in times: the earliest within a minute of now, the rest at their spacing ÷ N
  const slots = checkinTimes(raw, programZone);
  const earliest = Math.min(...slots.map((s) => minutesOf(s.get())));
  const startAt = (zone: string, offsetMin: number) =>
    DateTime.fromMillis(nowMs, { zone })
      .startOf('minute')
      .plus({ minutes: 1 + offsetMin });
  const originals = slots.map((s) => s.get());
  slots.forEach((s, i) => s.set(startAt(s.zone, Math.round((minutesOf(originals[i]!) - earliest) / speed)).toFormat('HH:mm')));
  const localDateTime = (value: unknown) => {
    if (typeof value !== 'string' || !/T\d{2}:\d{2}$/.test(value)) return value;
    const offset = Math.max(2, Math.round((minutesOf(value.slice(-5)) - earliest) / speed));
    return startAt(programZone, offset).toFormat("yyyy-LL-dd'T'HH:mm");
  };
  if (obj(raw.gonogo)?.at) raw.gonogo.at = localDateTime(raw.gonogo.at);
  for (const g of Array.isArray(raw.gates) ? (raw.gates as AnyObj[]) : []) if (g?.due) g.due = localDateTime(g.due);
  return raw;
}
