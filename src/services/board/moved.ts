import type { Deps } from '../deps.js';

/**
 * The "board dirty" hook (issue 23): every use case that changes what the status board shows calls it after its
 * commit (a gate signed or withdrawn, a blocker raised or acted on, a task updated, a check-in answered, a checklist
 * ticked). It asks for one refreshBoard wake-up, coalesced with the others of the same few seconds
 * (src/jobs/board-coalescing.ts), which runs services/board/board.ts refreshBoard. Never throws: a wake-up that
 * cannot be queued is logged by the queue, and the due-work sweep refreshes the board anyway. Kept apart from
 * board.ts, which reads the go/no-go's facts, so that the services it is called from import nothing more.
 */
export async function boardMoved(deps: Pick<Deps, 'wakeups' | 'clock'>): Promise<void> {
  await deps.wakeups.refreshBoard([{ at: deps.clock.now().toJSDate() }]);
}
