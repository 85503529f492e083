import { boolean, index, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { GateStatus } from '../../domain/gonogo/verdict.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The current state of each quality gate (config declares the gates; no row = pending). */
export const gateStates = pgTable('gate_states', {
  gateId: text('gate_id').primaryKey(),
  status: text('status').$type<GateStatus>().notNull(),
  signedBy: text('signed_by'),
  /** The away signer `signed_by` signed for, as their delegate (`delegate_may_sign`, issue 22): "by @ben for @ana". */
  signedFor: text('signed_for'),
  signedAt: ts('signed_at'),
  note: text('note'),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * Standing sign-off signatures, one per (gate, signer): a joint (`all_of`) gate passes with the last of them, an
 * `any_of` gate with the first. A withdrawal (a blocking blocker raised against the gate) deletes them all; a pass
 * keeps them (the summary shows who signed). Migration 0006 backfilled one per gate passed before it existed.
 */
export const gateSignatures = pgTable(
  'gate_signatures',
  {
    gateId: text('gate_id').notNull(),
    userId: text('user_id').notNull(),
    signedAt: ts('signed_at').notNull(),
    note: text('note'),
    /** Who signed for `user_id` while they were away, as their delegate (`delegate_may_sign`, issue 22). */
    delegate: text('delegate'),
  },
  (t) => [primaryKey({ columns: [t.gateId, t.userId] })],
);

/** Ticked items of the per-workstream go/no-go checklists (keyed by the item's text in preflight.yml). */
export const checklistTicks = pgTable(
  'checklist_ticks',
  {
    workstreamId: text('workstream_id').notNull(),
    item: text('item').notNull(),
    checked: boolean('checked').notNull(),
    by: text('by').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workstreamId, t.item] })],
);

/** `gate_signed`: one signature of a joint gate that did not pass it yet (the last one is `gate_passed`). */
export type AuditKind = 'gate_signed' | 'gate_passed' | 'gate_failed' | 'gate_withdrawn' | 'checklist' | 'decision';

/** The go/no-go audit trail: sign-offs, failures, withdrawals, checklist changes and decisions, with who and when. */
export const gonogoAudit = pgTable(
  'gonogo_audit',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<AuditKind>().notNull(),
    gateId: text('gate_id'),
    actor: text('actor'),
    at: ts('at').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('gonogo_audit_at_idx').on(t.at)],
);
