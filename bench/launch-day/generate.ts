/**
 * The launch-day benchmark's synthetic program (issue 25), generated from a fixed seed so that runs compare:
 * `people` people (default 10,000) in people/50 workstreams over 12 zones, 5 check-ins a day each, a program
 * check-in of all leads, people/5 tasks (a tenth overdue when the day starts), people/10 blockers raised through the
 * day (P0–P2, a tenth never acknowledged), 30 gates, the digest and the board.
 *
 *   npx tsx bench/launch-day/generate.ts [--people 10000] [--seed 25] [--out launch-day.preflight.yml]
 *                                        [--first-at 2026-03-09T14:00Z --slot-min 3]
 *
 * Two clocks: by default the day is a real one (check-ins at 09:00, 11:00, 13:00, 15:00, 17:00 local in each
 * workstream's zone, the program check-in at 12:00 program time, escalation steps minutes apart). With `firstAt`
 * and `slotMin` the day is COMPRESSED: its six slots (5 check-ins and the program check-in, in the order
 * c1 c2 program c3 c4 c5) are `slotMin` minutes apart from `firstAt` (a UTC instant on a minute) in every zone at
 * once (each workstream's `at` is that instant in its own zone), so all 12 zones peak together (the worst case);
 * windows, reminders, ladders and task due times shrink with the slot.
 * Randomness: pure-rand's xoroshiro128plus seeded with `seed` (same seed and options, same program and schedule).
 */
import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { parseWorkspaceConfig } from '../../src/config/load.js';
import { resolveProgram } from '../../src/config/resolve.js';
import { parseArgs } from '../lib.js';

/** The 12 zones the workstreams are spread over (round-robin), west to east. */
export const ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Helsinki',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
] as const;

/** Options of {@link generateProgram}. */
export interface GenerateOptions {
  /** People in all (a multiple of 50 is exact; at least 50). */
  people: number;
  seed: number;
  /** Compressed day: the first slot's UTC instant (seconds 0) and the minutes between slots; both or neither. */
  firstAt?: DateTime;
  slotMin?: number;
}

/** One blocker the benchmark raises with `/blocker` (times in ms after the first slot). */
export interface PlannedBlocker {
  /** Unique in the text, so the bench finds the blocker's message: `LD-17`. */
  tag: string;
  reporter: string;
  channel: string;
  severity: 'P0' | 'P1' | 'P2';
  /** When it is raised, ms after the first slot (within the played slots). */
  atMs: number;
  /** When a lead acknowledges it, ms after it is raised; null: never acknowledged. */
  ackAfterMs: number | null;
  /** Who acknowledges it (the workstream's lead). */
  acker: string;
}

/** One check-in slot: its id, name and, in a compressed day, its UTC instant. */
export interface PlannedSlot {
  id: string;
  name: string;
  /** 'workstream': every member of every workstream; 'program': every lead (one report in the program channel). */
  kind: 'workstream' | 'program';
  /** UTC instant (compressed day only). */
  at: DateTime | null;
}

/** The generated program: its preflight.yml and what the bench needs to drive and check the day. */
export interface GeneratedProgram {
  yaml: string;
  slots: PlannedSlot[];
  /** Workstream id → its lead, members (the lead is one), channel, zone. */
  workstreams: { id: string; lead: string; members: string[]; channel: string; zone: string }[];
  blockers: PlannedBlocker[];
  tasks: { total: number; overdue: number };
  gates: number;
}

const SLOT_NAMES = ['Check-in 1', 'Check-in 2', 'Program check-in', 'Check-in 3', 'Check-in 4', 'Check-in 5'];
const REAL_LOCAL = ['09:00', '11:00', '12:00', '13:00', '15:00', '17:00'];
/** A fixed Monday for the real day (tasks and gates are due on it). */
const REAL_DATE = '2026-03-09';
const pad = (n: number, w: number) => String(n).padStart(w, '0');
export const personId = (i: number) => `U${pad(i + 1, 8)}`;
export const workstreamChannel = (w: number) => `CWS${pad(w + 1, 6)}`;
export const PROGRAM_CHANNEL = 'CLAUNCH001';
export const BLOCKERS_CHANNEL = 'CBLOCKERS1';
export const PM = 'UPM0000001';
export const EXEC = 'UEXEC00001';

/**
 * Generates the program (see the file's comment).
 * @throws Error when `people` < 50, or only one of `firstAt` / `slotMin` is given, or `slotMin` < 2.
 */
export function generateProgram(opts: GenerateOptions): GeneratedProgram {
  if (!Number.isInteger(opts.people) || opts.people < 50) throw new Error(`people must be an integer ≥ 50 (got ${opts.people})`);
  if ((opts.firstAt === undefined) !== (opts.slotMin === undefined)) throw new Error('give both firstAt and slotMin (a compressed day) or neither (a real day)');
  if (opts.slotMin !== undefined && opts.slotMin < 2) throw new Error(`slotMin must be ≥ 2 minutes (got ${opts.slotMin})`);
  const rng = xoroshiro128plus(opts.seed);
  const int = (from: number, to: number) => uniformInt(rng, from, to);
  const compressed = opts.firstAt !== undefined;
  const slotMs = (opts.slotMin ?? 0) * 60_000;
  const slots: PlannedSlot[] = SLOT_NAMES.map((name, k) => ({
    id: k === 2 ? 'program' : `c${k < 2 ? k + 1 : k}`,
    name,
    kind: k === 2 ? 'program' : 'workstream',
    at: compressed ? opts.firstAt!.plus({ minutes: k * opts.slotMin! }) : null,
  }));
  const wsCount = Math.max(1, Math.floor(opts.people / 50));
  // durations: a compressed day scales the real day's 2 h slot to slotMin
  const dur = (realMin: number) => (compressed ? `${Math.max(1, Math.round((realMin / 120) * opts.slotMin! * 60))}s` : `${realMin}m`);
  const localAt = (slot: PlannedSlot, zone: string, realLocal: string) => (slot.at ? slot.at.setZone(zone).toFormat('HH:mm') : realLocal);
  const dayLocal = (zone: string, minutesFromFirst: number) =>
    (compressed ? opts.firstAt!.plus({ minutes: minutesFromFirst }).setZone(zone) : DateTime.fromISO(`${REAL_DATE}T09:00`, { zone }).plus({ minutes: minutesFromFirst })).toFormat(
      "yyyy-MM-dd'T'HH:mm",
    );
  const dayLengthMin = compressed ? 6 * opts.slotMin! : 9 * 60;

  const workstreams: GeneratedProgram['workstreams'] = [];
  for (let w = 0; w < wsCount; w++) {
    const members: string[] = [];
    for (let i = w; i < opts.people; i += wsCount) members.push(personId(i));
    workstreams.push({ id: `ws${pad(w + 1, 4)}`, lead: members[0]!, members, channel: workstreamChannel(w), zone: ZONES[w % ZONES.length]! });
  }
  const program = slots[2]!;
  const lines: string[] = [
    '# yaml-language-server: $schema=../../preflight.schema.json',
    `# Generated by bench/launch-day/generate.ts: ${opts.people} people, seed ${opts.seed}, ${compressed ? `compressed day from ${opts.firstAt!.toISO()} every ${opts.slotMin} min` : 'a real day'}.`,
    'program:',
    '  name: Launch day bench',
    '  timezone: UTC',
    `  pm: ${PM}`,
    `  execs: [${EXEC}]`,
    `  channel: ${PROGRAM_CHANNEL}`,
    `  digest: { at: "${compressed ? opts.firstAt!.plus({ minutes: dayLengthMin - 1 }).toFormat('HH:mm') : '18:00'}" }`,
    '  board: { include: [workstreams, gates, verdict] }',
    '  checkins:',
    `    - { id: program, name: ${program.name}, at: "${localAt(program, 'UTC', REAL_LOCAL[2]!)}", participants: [all_leads], remind_after: ${dur(30)}, close_after: ${dur(50)} }`,
    'calendar: { workdays: [mon, tue, wed, thu, fri, sat, sun] }',
    `checkins: { remind_after: ${dur(45)}, close_after: ${dur(100)}, questions: [{ id: status, prompt: "Status?" }] }`,
    // a claim left by a killed process is released after `reclaim_after` (default 2 min: 2 % of a real check-in's
    // 100-minute window); on the compressed clock that would be most of a window, so it shrinks too, to 30 s (twice
    // the 15 s floor: a live process's call may wait out a Retry-After's hold after its claim, and must not lose it)
    `scheduler: { tick: 1s${compressed ? ', reclaim_after: 30s' : ''} }`,
    'escalation:',
    '  default_severity: P1',
    '  ladders:',
    `    P0: [{ after: ${dur(5)}, notify: lead }, { after: ${dur(10)}, notify: pm }, { after: ${dur(25)}, notify: exec }]`,
    `    P1: [{ after: ${dur(10)}, notify: lead }, { after: ${dur(30)}, notify: pm }, { after: ${dur(60)}, notify: exec }]`,
    `    P2: [{ after: ${dur(30)}, notify: lead }, { after: ${dur(60)}, notify: pm }]`,
    `tasks: { escalation: [{ after: ${dur(5)}, notify: lead }, { after: ${dur(30)}, notify: pm }] }`,
    'workstreams:',
  ];
  const taskTotal = Math.floor(opts.people / 5);
  const tasksOf = new Map<number, string[]>();
  let overdue = 0;
  for (let t = 0; t < taskTotal; t++) {
    const w = t % wsCount;
    const ws = workstreams[w]!;
    const owner = ws.members[int(0, ws.members.length - 1)]!;
    // a tenth overdue: due before the day's first slot; the rest due after its last
    const late = t % 10 === 0;
    if (late) overdue++;
    const due = late ? dayLocal(ws.zone, -int(1, 30)) : dayLocal(ws.zone, dayLengthMin + int(30, 240));
    const pri = ['P0', 'P1', 'P2'][int(0, 2)];
    tasksOf.set(w, [...(tasksOf.get(w) ?? []), `      - { id: T-${t + 1}, title: Task ${t + 1}, owner: ${owner}, due: "${due}", priority: ${pri} }`]);
  }
  workstreams.forEach((ws, w) => {
    const at = (k: number) => localAt(slots[k]!, ws.zone, REAL_LOCAL[k]!);
    lines.push(
      `  ${ws.id}:`,
      `    name: Workstream ${w + 1}`,
      `    channel: ${ws.channel}`,
      `    blockers_channel: ${BLOCKERS_CHANNEL}`,
      `    timezone: ${ws.zone}`,
      `    leads: [${ws.lead}]`,
      `    members: [${ws.members.join(', ')}]`,
      '    checkins:',
      ...[0, 1, 3, 4, 5].map((k) => `      - { id: ${slots[k]!.id}, name: ${slots[k]!.name}, at: "${at(k)}" }`),
    );
    const tasks = tasksOf.get(w) ?? [];
    if (tasks.length) lines.push('    tasks:', ...tasks);
  });
  lines.push('gates:');
  const GATES = 30;
  for (let g = 0; g < GATES; g++) {
    const signer = workstreams[g % wsCount]!.lead;
    const requires = g >= 5 ? [`gate-${int(1, g)}`] : [];
    lines.push(`  - { id: gate-${g + 1}, name: Gate ${g + 1}, due: "${dayLocal('UTC', dayLengthMin + 60 + g)}", sign_off: [${signer}], requires: [${requires.join(', ')}] }`);
  }

  // blockers through the played day (first slot .. the end of the last), P0 10 %, P1 50 %, P2 40 %, a tenth never acked
  const blockers: PlannedBlocker[] = [];
  const spanMs = compressed ? 6 * slotMs : dayLengthMin * 60_000;
  for (let b = 0; b < Math.floor(opts.people / 10); b++) {
    const ws = workstreams[int(0, wsCount - 1)]!;
    const roll = int(1, 100);
    const ackSpanMs = compressed ? slotMs / 2 : 20 * 60_000;
    blockers.push({
      tag: `LD-${b + 1}`,
      reporter: ws.members[int(0, ws.members.length - 1)]!,
      channel: ws.channel,
      severity: roll <= 10 ? 'P0' : roll <= 60 ? 'P1' : 'P2',
      atMs: int(0, spanMs - 1),
      ackAfterMs: b % 10 === 9 ? null : int(1_000, ackSpanMs),
      acker: ws.lead,
    });
  }
  blockers.sort((a, b) => a.atMs - b.atMs);
  return { yaml: `${lines.join('\n')}\n`, slots, workstreams, blockers, tasks: { total: taskTotal, overdue }, gates: GATES };
}

/**
 * Parses and resolves `yaml` with the project's loader, as `npm run config:check` does.
 * @throws ConfigError (naming the key) when the generated program is not valid.
 */
export function checkProgram(yaml: string, name = 'launch-day.preflight.yml'): void {
  resolveProgram(parseWorkspaceConfig(yaml, name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const raw = parseArgs(process.argv.slice(2));
  const firstAt = raw['first-at'] ? DateTime.fromISO(raw['first-at'], { zone: 'utc' }) : undefined;
  if (firstAt && !firstAt.isValid) throw new Error(`--first-at must be an ISO instant such as 2026-03-09T14:00Z (got ${raw['first-at']})`);
  const g = generateProgram({
    people: Number(raw.people ?? 10_000),
    seed: Number(raw.seed ?? 25),
    ...(firstAt ? { firstAt: firstAt.startOf('minute') } : {}),
    ...(raw['slot-min'] ? { slotMin: Number(raw['slot-min']) } : {}),
  });
  checkProgram(g.yaml);
  const out = raw.out ?? 'launch-day.preflight.yml';
  writeFileSync(out, g.yaml);
  process.stderr.write(`${out}: ${g.workstreams.length} workstreams, ${g.tasks.total} tasks (${g.tasks.overdue} overdue), ${g.blockers.length} blockers planned, ${g.gates} gates\n`);
}
