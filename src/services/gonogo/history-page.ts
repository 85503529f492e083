import { and, desc, eq, lt, ne } from 'drizzle-orm';
import { gonogoAudit } from '../../db/schema/index.js';
import { checklistDays, type AuditEntry, type ChecklistDay } from '../../domain/gonogo/history.js';
import type { Deps } from '../deps.js';

/**
 * Where an older page of the history starts: audit ids below which to continue, one per list (decisions, sign-offs
 * and withdrawals; checklist ticks). Absent: from the newest. 0: that list is exhausted.
 */
export interface HistoryCursor {
  events?: number;
  ticks?: number;
}

/** One page of `/gonogo history`: the events that matter and the checklist ticks grouped, each newest first. */
export interface GonogoHistory {
  /** Decisions, gate sign-offs, failures and withdrawals: never crowded out by checklist ticks. */
  events: AuditEntry[];
  /** Checklist ticks of this page, one entry per workstream and day. */
  checklist: ChecklistDay[];
  /** The cursor of the next (older) page, or null when this page reaches the beginning. */
  older: HistoryCursor | null;
}

/** Page sizes, chosen so that a page always fits one message (50 blocks of 3,000 characters; see the block tests). */
export const HISTORY_PAGE = { events: 25, ticks: 100 } as const;

/**
 * A page of the go/no-go audit trail. Decisions, sign-offs and withdrawals are read apart from checklist ticks,
 * so however many items were ticked, every such event is on a page; ticks are grouped per workstream and day in
 * the program's zone ({@link checklistDays}).
 * @param before the cursor of the page to read; absent for the newest page.
 */
export async function gonogoHistory(deps: Pick<Deps, 'db' | 'config'>, before: HistoryCursor = {}): Promise<GonogoHistory> {
  const page = async (checklist: boolean, below: number | undefined, size: number) => {
    if (below === 0) return { rows: [] as AuditEntry[], next: 0 };
    const kind = checklist ? eq(gonogoAudit.kind, 'checklist') : ne(gonogoAudit.kind, 'checklist');
    const rows = await deps.db
      .select()
      .from(gonogoAudit)
      .where(below === undefined ? kind : and(kind, lt(gonogoAudit.id, below)))
      .orderBy(desc(gonogoAudit.id))
      .limit(size + 1);
    const more = rows.length > size;
    const shown = rows.slice(0, size);
    return { rows: shown as AuditEntry[], next: more ? shown.at(-1)!.id : 0 };
  };
  const events = await page(false, before.events, HISTORY_PAGE.events);
  const ticks = await page(true, before.ticks, HISTORY_PAGE.ticks);
  return {
    events: events.rows,
    checklist: checklistDays(ticks.rows, deps.config.program.timezone),
    older: events.next || ticks.next ? { events: events.next, ticks: ticks.next } : null,
  };
}
