/** Where the launch board lives (issue 23's board, services/board): a channel canvas or a pinned message. */
export interface BoardRef {
  kind: 'canvas' | 'message';
  /** The canvas id, or the message's `ts`. */
  id: string;
  channel: string;
}

/** Gives the board's place, or null when there is none yet (wired by the composition root; see Deps.warRoomBoard). */
export type BoardLookup = () => Promise<BoardRef | null>;
