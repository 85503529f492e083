import ms from 'ms';

/*
 * `--speed N`: a transform over the parsed preflight.yml object so a launch day plays in minutes. Durations are
 * divided by N (at least 1 s, ladder levels kept strictly increasing), the scheduler ticks every second, the
 * due-work sweep runs every 5 s, and the calendar allows every day (no holidays) so the run happens whatever
 * today is. Times of day and dates are moved by onto-today.ts (the earliest check-in within a minute of start,
 * the rest at their distance ÷ N, the example's first day on today).
 */

type AnyObj = Record<string, any>;

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

/** Every check-in's own durations (workstreams', the program's, and the `checkins:` defaults). */
function checkinDurations(raw: AnyObj): AnyObj[] {
  const lists = [obj(raw.program)?.checkins, ...Object.values(obj(raw.workstreams) ?? {}).map((w) => obj(w)?.checkins)];
  return [...(obj(raw.checkins) ? [raw.checkins as AnyObj] : []), ...lists.flatMap((l) => (Array.isArray(l) ? (l as unknown[]).map(obj).filter((x): x is AnyObj => !!x) : []))];
}

/**
 * Compresses the durations of a raw preflight.yml object (mutates and returns it); onto-today.ts moves its times.
 * @param raw the YAML document as plain JS (durations still strings such as "30m").
 * @param speed N ≥ 1: durations ÷ N (whole seconds, at least 1 s).
 * @throws Error when speed is below 1.
 */
export function compressTime(raw: AnyObj, speed: number): AnyObj {
  if (!(speed >= 1)) throw new Error(`--speed must be a number ≥ 1 (got ${speed})`);
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
  for (const c of checkinDurations(raw)) {
    if (c.remind_after !== undefined) c.remind_after = divide(c.remind_after, speed);
    if (c.close_after !== undefined) c.close_after = divide(c.close_after, speed);
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
  // tasks.escalation: a ladder of its own for every task (its levels count from the due time)
  const taskLadder = obj(raw.tasks)?.escalation;
  if (Array.isArray(taskLadder)) {
    let last = 0;
    raw.tasks.escalation = (taskLadder as AnyObj[]).map((l) => {
      const sec = Math.max(last + 1, Number(divide(l.after, speed)?.slice(0, -1) ?? 1));
      last = sec;
      return { ...l, after: `${sec}s` };
    });
  }
  if (obj(esc.repeat)) esc.repeat.every = divide(esc.repeat.every, speed);
  esc.sweep_every = '5s';
  raw.scheduler = { ...(obj(raw.scheduler) ?? {}), tick: '1s' };
  raw.calendar = { workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], holidays: [] };
  return raw;
}
