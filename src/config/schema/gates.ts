import { z } from 'zod';
import type { SignOffRule } from '../../domain/gonogo/signoff.js';
import { DEFAULT_VERDICT_THRESHOLDS } from '../../domain/program/program.js';
import { SEVERITIES } from '../../domain/program/severities.js';
import { duplicateIds, localDateTimeSchema, slugSchema, userIdSchema } from './fields.js';

/*
 * Gates and the go/no-go: sign-off authorities, what a gate requires and unblocks, what its failure does, the
 * verdict's thresholds; and the rules across them (unique ids, no requires-cycle, known gates and workstreams).
 */

/** Who a gate's failure escalates to, like a ladder level's `notify`: `lead` (of its downstream workstreams), `pm`, `exec` or user IDs. */
const escalateToSchema = z.array(z.union([z.enum(['lead', 'pm', 'exec']), userIdSchema]));

/**
 * `sign_off`: `[U…]` or `{ any_of: [U…] }` (any one signs for the gate), or `{ all_of: [U…] }` (the gate passes with
 * the last of their signatures). Parsed into `sign_off` (every authority) and `sign_off_rule`.
 */
const signOffSchema = z.union(
  [
    z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority'),
    z.strictObject({ any_of: z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority') }),
    z.strictObject({ all_of: z.array(userIdSchema).min(1, 'a gate needs at least one sign-off authority') }),
  ],
  { error: 'expected a list of Slack user IDs, { any_of: [U…] } or { all_of: [U…] }' },
);

export const gateSchema = z
  .strictObject({
    id: slugSchema,
    name: z.string().trim().min(1).max(120),
    due: localDateTimeSchema.optional(),
    sign_off: signOffSchema,
    requires: z.array(slugSchema).default([]),
    unblocks: z.array(slugSchema).default([]),
    checklist: z.array(z.string().trim().min(1).max(200)).default([]),
    mandatory: z.boolean().default(true),
    /** The delegate of a signer who is away may sign for them (issue 22); the signature says "by @ben for @ana". */
    delegate_may_sign: z.boolean().default(false),
    /** What a failure does (seed 000: "If fails: delay Sigma/Pi by 1+ day, escalate to exec"). */
    on_fail: z.strictObject({ escalate_to: escalateToSchema.default(['exec']), notify_downstream: z.boolean().default(true) }).default({ escalate_to: ['exec'], notify_downstream: true }),
  })
  .transform(({ sign_off, ...g }) => {
    const rule: SignOffRule = Array.isArray(sign_off) || 'any_of' in sign_off ? 'any_of' : 'all_of';
    const list = Array.isArray(sign_off) ? sign_off : 'any_of' in sign_off ? sign_off.any_of : sign_off.all_of;
    return { ...g, sign_off: list, sign_off_rule: rule };
  });

/** `gates:`, in the order people read them. */
export const gatesSchema = z.array(gateSchema).default([]);

/** `gonogo:`: the verdict's thresholds (% of gates passed) and the blocker severities that block it. Absent: no go/no-go. */
export const gonogoSchema = z
  .strictObject({
    go_at_least: z.number().min(0).max(100).default(DEFAULT_VERDICT_THRESHOLDS.go_at_least),
    conditional_at_least: z.number().min(0).max(100).default(DEFAULT_VERDICT_THRESHOLDS.conditional_at_least),
    blocking_severities: z.array(z.enum(SEVERITIES)).default(['P0']),
    at: localDateTimeSchema.optional(),
  })
  .optional();

/** The parts of the parsed config the gate rules read. */
interface GatesInConfig {
  gates: z.output<typeof gateSchema>[];
  workstreams: Record<string, unknown>;
  gonogo?: { go_at_least: number; conditional_at_least: number } | undefined;
}

/**
 * Gate rules, each reported at its key path: no requires-cycle, unique ids, `requires` names another gate,
 * `unblocks` names workstreams, no sign-off authority listed twice; `gonogo.conditional_at_least` ≤ `go_at_least`.
 */
export function checkGates(cfg: GatesInConfig, ctx: z.RefinementCtx): void {
  const gateIds = new Set(cfg.gates.map((g) => g.id));
  // a requires-cycle would keep every gate in it pending forever
  const requires = new Map(cfg.gates.map((g) => [g.id, g.requires]));
  const onCycle = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(requires.get(start) ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === start) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(requires.get(id) ?? []));
    }
    return false;
  };
  cfg.gates.forEach((g, i) => {
    if (g.requires.length && !g.requires.includes(g.id) && onCycle(g.id))
      ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires'], message: `gate "${g.id}" requires itself through other gates (a cycle): none of them could ever pass` });
  });
  duplicateIds(cfg.gates.map((g) => g.id)).forEach((i) => ctx.addIssue({ code: 'custom', path: ['gates', i, 'id'], message: 'gate ids must be unique' }));
  cfg.gates.forEach((g, i) => {
    g.requires.forEach((r, j) => {
      if (!gateIds.has(r)) ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires', j], message: `no gate with id "${r}"` });
      if (r === g.id) ctx.addIssue({ code: 'custom', path: ['gates', i, 'requires', j], message: 'a gate cannot require itself' });
    });
    g.unblocks.forEach((w, j) => {
      if (!(w in cfg.workstreams)) ctx.addIssue({ code: 'custom', path: ['gates', i, 'unblocks', j], message: `no workstream with id "${w}"` });
    });
  });
  cfg.gates.forEach((g, i) => {
    if (!Array.isArray(g.sign_off)) return; // not parsed (its own error is reported)
    duplicateIds(g.sign_off).forEach((j) =>
      ctx.addIssue({ code: 'custom', path: ['gates', i, 'sign_off', ...(g.sign_off_rule === 'all_of' ? ['all_of'] : []), j], message: `${g.sign_off[j]} is listed twice` }),
    );
  });
  if (cfg.gonogo && cfg.gonogo.conditional_at_least > cfg.gonogo.go_at_least) {
    ctx.addIssue({ code: 'custom', path: ['gonogo', 'conditional_at_least'], message: 'must not exceed go_at_least' });
  }
}
