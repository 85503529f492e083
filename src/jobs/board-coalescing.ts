/*
 * How the status board's refreshes are coalesced (issue 23): time is cut into windows of BOARD_COALESCE_MS; every
 * change in a window asks for the same job (its id names the window, and BullMQ ignores an add whose id it holds),
 * which runs just after the window ends and reads the board then. A burst of changes over 10 s is therefore at most
 * ⌈10 s / window⌉ + 1 refreshes (4 + 1 at 3 s), each one canvases.edit at most (none when nothing shown changed),
 * and every change is on the board within one window plus the refresh's own time, well inside 10 s. A change in
 * window k is never missed by a refresh already running: that one is window k − 1's.
 */

/** The windows' length, in ms. */
export const BOARD_COALESCE_MS = 3_000;

/** ms after a window's end at which its refresh runs (lets the last changes of the window commit and queue). */
export const BOARD_SETTLE_MS = 250;

/** The refresh job of the window holding `atMs` (Unix ms): `board-<window number>`. */
export function boardJobId(atMs: number, windowMs: number): string {
  return `board-${Math.floor(atMs / windowMs)}`;
}

/** ms from `atMs` to when that window's refresh runs: the window's end plus {@link BOARD_SETTLE_MS}. */
export function boardJobDelay(atMs: number, windowMs: number): number {
  return (Math.floor(atMs / windowMs) + 1) * windowMs - atMs + BOARD_SETTLE_MS;
}
