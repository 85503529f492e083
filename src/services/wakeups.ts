import type { WarRoomTrigger } from '../domain/warroom/room.js';

/**
 * Wake-ups the services ask for: the port through which a use case asks for later work (a job). Each names
 * the Postgres row to look at; calling twice for the same row and attempt/version adds one job. Implemented
 * on BullMQ by `queueWakeups` (src/jobs/queues.ts), which derives every method from the job registry
 * (src/jobs/registry.ts); a method added here needs exactly one registry entry (the typecheck says which).
 */
export interface Wakeups {
  sendPrompts(items: { promptId: number; attempt: number }[]): Promise<void>;
  sendReminders(promptIds: number[]): Promise<void>;
  /** Send the DM confirming each saved version of a complete answer (dm queue, behind prompts; once per version). */
  sendAnswerReceipts(items: { answerId: number; version: number }[]): Promise<void>;
  renderReports(items: { runId: number; version: number }[]): Promise<void>;
  postLateAnswers(items: { answerId: number; version: number }[]): Promise<void>;
  /** Wake the escalation processor for a blocker at `dueAt` (delayed job; id includes the version). */
  escalate(items: { blockerId: number; version: number; dueAt: Date; now: Date }[]): Promise<void>;
  sendNotices(noticeIds: number[]): Promise<void>;
  renderBlockers(items: { blockerId: number; version: number }[]): Promise<void>;
  postThreadLines(eventIds: number[]): Promise<void>;
  /** Edit the escalation DMs already sent about each blocker to its state at `version` (its `message_version`). */
  updateNotices(items: { blockerId: number; version: number }[]): Promise<void>;
  /** Withdraw the gate sign-offs each new blocker affects (escalation queue; one job per blocker). */
  withdrawSignOffs(blockerIds: number[]): Promise<void>;
  /** Deliver queued outbound messages (go/no-go posts, withdrawal notices). */
  sendOutbound(messageIds: number[]): Promise<void>;
  /** Edit sent outbound messages that follow a thing's state (the go/no-go reminder) to their `version`. */
  updateOutbound(items: { messageId: number; version: number }[]): Promise<void>;
  /** Escalate a task at its due time if it is not done by then (delayed job; one per task and due time). */
  taskDue(items: { taskId: string; dueAt: Date; now: Date }[]): Promise<void>;
  /** Upload the chart of each digest into its message's thread, once (channel queue; `delayMs` from now). */
  uploadDigestCharts(items: { digestId: number; delayMs: number }[]): Promise<void>;
  /** Open the war room for each trigger, or post into the open one (channel queue; one job per trigger key; issue 23). */
  openWarRooms(items: { trigger: WarRoomTrigger }[]): Promise<void>;
  /** Post the summary into each closed war room, then archive it (channel queue; one job per room). */
  archiveWarRooms(roomIds: number[]): Promise<void>;
  /** At `dueAt`, check whether a P0 blocker is still open and, if so, open the war room (delayed job; one per blocker). */
  checkP0WarRooms(items: { blockerId: number; dueAt: Date; now: Date }[]): Promise<void>;
  /**
   * Refresh the program channel's status board (issue 23) after a change at `at` (the clock's now): changes within
   * the same few seconds share one job (services/board/board.ts boardMoved).
   */
  refreshBoard(items: { at: Date }[]): Promise<void>;
}
