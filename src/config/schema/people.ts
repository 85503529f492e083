import type { z } from 'zod';
import { delegateLoops } from '../../domain/people/cover.js';

/*
 * The rules across `program.delegates` (issue 22, "Bad input and faults"): each is reported at its key path.
 */

/** The parts of the parsed config the delegate rules read. */
interface DelegatesInConfig {
  program: { pm: string; execs: string[]; groups: Record<string, string[]>; delegates: { person: string; delegate: string }[] };
  workstreams: Record<string, { leads: string[]; members: (string | { id: string })[]; tasks: { owner: string }[] }>;
  gates: { sign_off: string[]; on_fail: { escalate_to: string[] } }[];
  escalation: { ladders: Partial<Record<string, { notify: string | string[] }[]>> };
  tasks: { escalation?: { notify: string | string[] }[] | undefined };
}

/** Everyone the config names outside `program.delegates` (anyone a ladder, a check-in or a gate can reach). */
function named(cfg: DelegatesInConfig): Set<string> {
  // the rules across keys also run when a key of their own failed: read what is there, as it is
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);
  const ids = new Set<unknown>([cfg.program?.pm, ...list(cfg.program?.execs), ...Object.values(cfg.program?.groups ?? {}).flatMap(list)]);
  for (const ws of Object.values(cfg.workstreams ?? {})) {
    for (const m of list(ws?.members)) ids.add(typeof m === 'string' ? m : (m as { id?: string })?.id);
    for (const l of list(ws?.leads)) ids.add(l);
    for (const t of list(ws?.tasks)) ids.add((t as { owner?: string })?.owner);
  }
  for (const g of list(cfg.gates)) for (const u of [...list((g as DelegatesInConfig['gates'][number])?.sign_off), ...list((g as DelegatesInConfig['gates'][number])?.on_fail?.escalate_to)]) ids.add(u);
  const levels = [...Object.values(cfg.escalation?.ladders ?? {}).flatMap(list), ...list(cfg.tasks?.escalation)];
  for (const l of levels) for (const u of list((l as { notify?: unknown })?.notify)) ids.add(u);
  return new Set([...ids].filter((u): u is string => typeof u === 'string'));
}

/**
 * `program.delegates`: `person` must be someone the config names elsewhere (a delegate for an unknown person would
 * never be used: a typo), at most one entry per person, nobody their own delegate, and no delegate loop
 * (A → B → A, reported at the entry that closes it). A loop at run time (with `/standup ooo … delegate:`) falls
 * through with a note instead (domain/people/cover.ts).
 */
export function checkDelegates(cfg: DelegatesInConfig, ctx: z.RefinementCtx): void {
  const known = named(cfg);
  const entries = Array.isArray(cfg.program?.delegates) ? cfg.program.delegates : [];
  const first = new Map<string, number>();
  entries.forEach((e, i) => {
    const path = ['program', 'delegates', i];
    if (!known.has(e.person))
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'person'],
        message: `${e.person} is not named anywhere else in this file (not a member, lead, PM, exec, signer or task owner): check the ID or email`,
      });
    if (e.person === e.delegate) ctx.addIssue({ code: 'custom', path: [...path, 'delegate'], message: 'a person cannot be their own delegate' });
    if (first.has(e.person)) ctx.addIssue({ code: 'custom', path: [...path, 'person'], message: `${e.person} already has a delegate (program.delegates.${first.get(e.person)}): give one per person` });
    else first.set(e.person, i);
  });
  // the first entry of each person (a second one is reported above)
  const map = Object.fromEntries(entries.filter((e, i) => e.person !== e.delegate && first.get(e.person) === i).map((e) => [e.person, e.delegate]));
  for (const loop of delegateLoops(map)) {
    // reported at the entry of the loop's last hop (the one that closes it)
    const closing = loop[loop.length - 2]!;
    const i = first.get(closing) ?? 0;
    ctx.addIssue({ code: 'custom', path: ['program', 'delegates', i, 'delegate'], message: `delegate loop ${loop.join(' → ')}: someone in it must name a delegate outside it (or none)` });
  }
}
