import { z } from 'zod';
import { taskIdSchema } from '../config/workspace.js';
import { postThreadLine, renderBlockerMessage, sendNotice, updateNotices } from '../services/blockers/delivery.js';
import { EARLY_WAKE_MS, escalate } from '../services/blockers/escalate.js';
import { sendNoticesNow } from '../services/blockers/send-now.js';
import { overdueEscalations, pendingNotices, pendingOutbound, pendingThreadLines, SWEEP_BATCH, staleBlockerMessages, staleNoticeEdits } from '../services/blockers/sweep.js';
import { BOARD_COALESCE_MS, boardJobDelay, boardJobId } from './board-coalescing.js';
import { REPORT_COALESCE_MS, reportCoalesceKey } from './report-coalescing.js';
import { refreshBoard, sweepBoard } from '../services/board/board.js';
import type { Deps } from '../services/deps.js';
import { uploadDigestChart } from '../services/digest/chart-upload.js';
import { scheduledDigest } from '../services/digest/scheduled-digest.js';
import { scheduledGonogo } from '../services/gonogo/decisions.js';
import { escalateFailedGates } from '../services/gonogo/gate-outcome.js';
import { escalateOverdueGates, replanGateEscalations, resolveRemovedGates, withdrawalsDue, withdrawSignOffsForBlocker } from '../services/gonogo/gates.js';
import { restateSignOffReminders } from '../services/gonogo/reminders.js';
import { outboundEditsDue, sendOutbound, updateOutbound } from '../services/delivery/outbound.js';
import { refreshRotations, ROTATION_REFRESH_MS } from '../services/oncall/rotations.js';
import { syncUsergroups } from '../services/oncall/usergroups.js';
import { pruneSlackEvents } from '../services/slack-events.js';
import { pendingAnswerReceipts, sendAnswerReceipt } from '../services/checkins/answer-receipts.js';
import { sendPrompt, sendReminder } from '../services/checkins/prompts.js';
import { postLateAnswer, renderReport } from '../services/checkins/report-message.js';
import { tick } from '../services/checkins/sweep.js';
import { retroDue } from '../services/retro/publish.js';
import { escalateTaskById, sweepTasks } from '../services/tasks/escalate.js';
import { notifyStartableTasks } from '../services/tasks/start-notices.js';
import { archiveWarRoom, openWarRoom, unfinishedRooms } from '../services/warroom/rooms.js';
import { checkP0, p0ChecksDue, warRoomTriggerSchema } from '../services/warroom/triggers.js';
import { DM_PRIORITY, scheduledJob, wakeupJob, type ScheduledJob, type WakeupJob, type WakeupName } from './job-definition.js';

/**
 * Every job Preflight queues, declared once: its queue, BullMQ name, payload schema, deterministic id, delay
 * and handler. `queueWakeups` (queues.ts) and `startWorkers` (workers.ts) derive everything from here.
 * To add a wake-up: add the method to `Wakeups` (src/services/wakeups.ts) and one entry below under the same key;
 * its `recover` (what Postgres still shows due) is what the due-work sweep queues again.
 */

const id = z.number().int().positive();

export const wakeupJobs: { [W in WakeupName]: WakeupJob<W> } = {
  // standups
  sendPrompts: wakeupJob({
    queue: 'dm',
    name: 'send-prompt',
    payload: z.object({ promptId: id }),
    // the attempt lets a re-send after a released claim through
    jobId: (i) => `prompt-${i.promptId}-${i.attempt}`,
    data: (i) => ({ promptId: i.promptId }),
    run: (deps, d) => sendPrompt(deps, d.promptId),
  }),
  sendReminders: wakeupJob({
    queue: 'dm',
    name: 'send-reminder',
    payload: z.object({ promptId: id }),
    jobId: (promptId) => `reminder-${promptId}`,
    data: (promptId) => ({ promptId }),
    // behind the prompts of a fan-out (issue 25): a reminder is due minutes after its prompt, not at once
    priority: DM_PRIORITY.reminder,
    run: (deps, d) => sendReminder(deps, d.promptId),
  }),
  sendAnswerReceipts: wakeupJob({
    queue: 'dm',
    name: 'send-answer-receipt',
    payload: z.object({ answerId: id, version: id }),
    jobId: (i) => `receipt-${i.answerId}-${i.version}`,
    data: (i) => ({ answerId: i.answerId, version: i.version }),
    // the answer is stored already: its confirmation waits behind prompts, escalation DMs and reminders (issue 25)
    priority: DM_PRIORITY.answerReceipt,
    run: (deps, d) => sendAnswerReceipt(deps, d),
    recover: pendingAnswerReceipts,
  }),
  renderReports: wakeupJob({
    queue: 'channel',
    name: 'render-report',
    payload: z.object({ runId: id }),
    jobId: (i) => `report-${i.runId}-${i.version}`,
    data: (i) => ({ runId: i.runId }),
    // the first version goes at once, so the report is posted before the run's prompts use up the posting cap;
    // later ones share one job per report, at most one chat.update per REPORT_COALESCE_MS (report-coalescing.ts)
    delay: (i) => (i.version === 1 ? 0 : REPORT_COALESCE_MS),
    coalesce: (i) => (i.version === 1 ? undefined : reportCoalesceKey(i.runId)),
    run: (deps, d) => renderReport(deps, d.runId),
  }),
  postLateAnswers: wakeupJob({
    queue: 'channel',
    name: 'post-late-answer',
    payload: z.object({ answerId: id }),
    jobId: (i) => `late-${i.answerId}-${i.version}`,
    data: (i) => ({ answerId: i.answerId }),
    run: (deps, d) => postLateAnswer(deps, d.answerId),
  }),

  // blockers (escalation: it reserves notices and sends the due DMs itself while Slack's limits are open, else hands
  // them to send-notice jobs; every other Slack call happens in the dm/channel queues)
  escalate: wakeupJob({
    queue: 'escalation',
    name: 'escalate',
    payload: z.object({ blockerId: id, version: id }),
    jobId: (i) => `esc-${i.blockerId}-${i.version}`,
    data: (i) => ({ blockerId: i.blockerId, version: i.version }),
    // EARLY_WAKE_MS ahead: the job is picked up and reads before the due time, then waits for it (escalate.ts)
    delay: (i) => Math.max(0, i.dueAt.getTime() - i.now.getTime() - EARLY_WAKE_MS),
    // the DMs from this job: no second job's hop between the step and the ping (issue 25; send-now.ts)
    run: (deps, d) => escalate(deps, d.blockerId, d.version, { sendNotices: sendNoticesNow }),
    recover: overdueEscalations,
  }),
  sendNotices: wakeupJob({
    queue: 'dm',
    name: 'send-notice',
    payload: z.object({ noticeId: id }),
    jobId: (noticeId) => `notice-${noticeId}`,
    data: (noticeId) => ({ noticeId }),
    run: (deps, d) => sendNotice(deps, d.noticeId),
    recover: pendingNotices,
  }),
  renderBlockers: wakeupJob({
    queue: 'channel',
    name: 'render-blocker',
    payload: z.object({ blockerId: id }),
    jobId: (i) => `blocker-${i.blockerId}-${i.version}`,
    data: (i) => ({ blockerId: i.blockerId }),
    // collapses a burst of changes to one blocker into one chat.update
    delay: () => 300,
    run: (deps, d) => renderBlockerMessage(deps, d.blockerId),
    recover: staleBlockerMessages,
  }),
  postThreadLines: wakeupJob({
    queue: 'channel',
    name: 'post-thread-line',
    payload: z.object({ eventId: id }),
    jobId: (eventId) => `thread-${eventId}`,
    data: (eventId) => ({ eventId }),
    run: (deps, d) => postThreadLine(deps, d.eventId),
    recover: pendingThreadLines,
  }),
  updateNotices: wakeupJob({
    queue: 'dm',
    name: 'update-notices',
    payload: z.object({ blockerId: id }),
    // one per blocker and message version: the edit reads the blocker when it runs
    jobId: (i) => `notice-edits-${i.blockerId}-${i.version}`,
    data: (i) => ({ blockerId: i.blockerId }),
    // collapses a burst of changes to one blocker (resolve right after an acknowledgement) into one edit per DM
    delay: () => 300,
    run: (deps, d) => updateNotices(deps, d.blockerId),
    recover: staleNoticeEdits,
  }),
  withdrawSignOffs: wakeupJob({
    queue: 'escalation',
    name: 'withdraw-signoffs',
    payload: z.object({ blockerId: id }),
    // one per blocker: the withdrawal reads the gates' state when it runs (a late job never undoes a newer sign-off)
    jobId: (blockerId) => `withdraw-${blockerId}`,
    data: (blockerId) => ({ blockerId }),
    run: (deps, d) => withdrawSignOffsForBlocker(deps, d.blockerId),
    recover: withdrawalsDue,
  }),

  // go/no-go posts and sign-off withdrawal notices (services/delivery/outbound.ts)
  sendOutbound: wakeupJob({
    queue: 'channel',
    name: 'send-outbound',
    payload: z.object({ messageId: id }),
    jobId: (messageId) => `outbound-${messageId}`,
    data: (messageId) => ({ messageId }),
    run: (deps, d) => sendOutbound(deps, d.messageId),
    recover: pendingOutbound,
  }),

  updateOutbound: wakeupJob({
    queue: 'dm',
    name: 'update-outbound',
    payload: z.object({ messageId: id }),
    jobId: (i) => `outbound-edit-${i.messageId}-${i.version}`,
    data: (i) => ({ messageId: i.messageId }),
    delay: () => 300,
    run: (deps, d) => updateOutbound(deps, d.messageId),
    // sent go/no-go reminders whose edit is still due
    recover: (deps) => outboundEditsDue(deps, SWEEP_BATCH),
  }),

  // the daily digest's chart (services/digest/chart-upload.ts): once per digest, into its message's thread
  uploadDigestCharts: wakeupJob({
    queue: 'channel',
    name: 'upload-digest-chart',
    payload: z.object({ digestId: id }),
    jobId: (i) => `digest-chart-${i.digestId}`,
    data: (i) => ({ digestId: i.digestId }),
    delay: (i) => i.delayMs,
    run: (deps, d) => uploadDigestChart(deps, d.digestId),
  }),

  // the program channel's status board (issue 23): every change of the same BOARD_COALESCE_MS window shares one job,
  // run just after the window ends, so a burst of changes is a few edits (canvases.edit is Tier 3, ~50/min)
  refreshBoard: wakeupJob({
    queue: 'channel',
    name: 'refresh-board',
    // the window's end (Unix ms): logged with the job, not read by the refresh (it reads the board as it is then)
    payload: z.object({ windowEnd: id }),
    jobId: (i) => boardJobId(i.at.getTime(), BOARD_COALESCE_MS),
    data: (i) => ({ windowEnd: (Math.floor(i.at.getTime() / BOARD_COALESCE_MS) + 1) * BOARD_COALESCE_MS }),
    delay: (i) => boardJobDelay(i.at.getTime(), BOARD_COALESCE_MS),
    run: (deps) => refreshBoard(deps),
  }),

  // tasks: a task not done by its due time escalates (owner, then its ladder: services/tasks/escalate.ts taskEscalation) through the blocker machinery
  taskDue: wakeupJob({
    queue: 'escalation',
    name: 'task-due',
    payload: z.object({ taskId: taskIdSchema }),
    // one per task and due time (a changed due in preflight.yml gets its own job; the handler re-checks the task)
    jobId: (i) => `task-due-${i.taskId}-${i.dueAt.getTime()}`,
    data: (i) => ({ taskId: i.taskId }),
    delay: (i) => Math.max(0, i.dueAt.getTime() - i.now.getTime()),
    run: (deps, d) => escalateTaskById(deps, d.taskId),
  }),

  // the war room (services/warroom, issue 23): opened (or posted into) by a trigger, archived after its summary
  openWarRooms: wakeupJob({
    queue: 'channel',
    name: 'open-war-room',
    payload: z.object({ trigger: warRoomTriggerSchema }),
    // one per trigger occurrence: a retry or a second replica's hook adds none
    jobId: (i) => `war-room-${i.trigger.key}`,
    data: (i) => ({ trigger: i.trigger }),
    // a NO-GO's summary is queued at the same moment: a short wait lets it be posted first, so the room can link it
    delay: (i) => (i.trigger.kind === 'no_go' ? 2_000 : 0),
    run: (deps, d) => openWarRoom(deps, d.trigger),
    // a room claimed but whose channel a crash left uncreated
    recover: unfinishedRooms,
  }),
  archiveWarRooms: wakeupJob({
    queue: 'channel',
    name: 'archive-war-room',
    payload: z.object({ roomId: id }),
    jobId: (roomId) => `war-room-archive-${roomId}`,
    data: (roomId) => ({ roomId }),
    run: (deps, d) => archiveWarRoom(deps, d.roomId),
  }),
  checkP0WarRooms: wakeupJob({
    queue: 'escalation',
    name: 'check-p0-war-room',
    payload: z.object({ blockerId: id }),
    jobId: (i) => `war-room-p0-${i.blockerId}`,
    data: (i) => ({ blockerId: i.blockerId }),
    delay: (i) => Math.max(0, i.dueAt.getTime() - i.now.getTime()),
    run: (deps, d) => checkP0(deps, d.blockerId),
    // P0s left open long enough whose check a lost job never ran
    recover: (deps) => p0ChecksDue(deps),
  }),
};

/** When each process last pruned the Slack event dedupe table (per `Deps`, i.e. per bot process). */
const lastPrune = new WeakMap<Deps, number>();

/** The standup tick: opens, closes and sweeps standup runs; hourly, prunes the Slack event dedupe table. */
export const standupTick = scheduledJob({
  schedulerId: 'standup-tick',
  name: 'tick',
  every: (s) => s.tickMs,
  async run(deps) {
    const report = await tick(deps);
    const now = deps.clock.now().toJSDate();
    if (now.getTime() - (lastPrune.get(deps) ?? 0) > 3_600_000) {
      lastPrune.set(deps, now.getTime());
      await pruneSlackEvents(deps.db, now);
    }
    if (report.opened + report.missed + report.closed + report.released > 0) deps.log.debug({ tick: report }, 'tick');
    return report;
  },
});

/**
 * The periodic checks the due-work sweep runs besides the wake-ups' recoveries: overdue and failed gates
 * (escalations; those of gates a reload removed are resolved, those of gates it re-dated re-planned), the scheduled go/no-go and its reminders' state, overdue tasks (and `task-due` wake-ups for those due
 * within the hour), tasks that can start, the daily digest (and the upload of digest charts not uploaded yet), the retrospective once `program.end` has passed (issue 23). Each
 * result goes into the sweep's report under its key.
 */
const sweepChecks: Record<string, (deps: Deps) => Promise<unknown>> = {
  gates: escalateOverdueGates,
  removedGates: async (deps) => (await resolveRemovedGates(deps)).length,
  replannedGates: async (deps) => (await replanGateEscalations(deps)).length,
  failedGates: async (deps) => (await escalateFailedGates(deps)).length,
  gonogo: scheduledGonogo,
  reminders: restateSignOffReminders,
  tasks: sweepTasks,
  startable: async (deps) => (await notifyStartableTasks(deps)).length,
  digest: scheduledDigest,
  board: sweepBoard,
  retro: retroDue,
};

/**
 * The due-work sweep (every `escalation.sweep_every`): queues again every wake-up Postgres still shows due (each
 * registry entry's `recover`: overdue escalations, notices, thread lines, blocker messages and DM edits, sign-off
 * withdrawals, outbound messages and edits), then runs the {@link sweepChecks}. It was the "blocker sweep"
 * (scheduler id `blocker-sweep`, removed on start); its BullMQ job name stays `sweep`.
 * @returns how many items each wake-up got again (by Wakeups method) and each check's result.
 */
export const dueWorkSweep = scheduledJob({
  schedulerId: 'due-work-sweep',
  formerSchedulerIds: ['blocker-sweep'],
  name: 'sweep',
  every: (s) => s.sweepMs,
  async run(deps) {
    const report: Record<string, unknown> = {};
    for (const [method, job] of Object.entries(wakeupJobs) as [WakeupName, WakeupJob][]) {
      if (!job.recover) continue;
      const items = await job.recover(deps);
      await (deps.wakeups[method] as (due: unknown[]) => Promise<void>)(items);
      report[method] = items.length;
    }
    for (const [name, check] of Object.entries(sweepChecks)) report[name] = await check(deps);
    return report;
  },
});

/**
 * The on-call refresh (every {@link ROTATION_REFRESH_MS}, issue 22): reads each rotation's feed (ICS, PagerDuty,
 * Opsgenie) into Postgres; a feed that cannot be read keeps its last known shifts. Nothing to do without feeds.
 * @returns per rotation: shifts stored, or the error.
 */
export const oncallRefresh = scheduledJob({
  schedulerId: 'oncall-refresh',
  name: 'oncall-refresh',
  every: () => ROTATION_REFRESH_MS,
  run: (deps) => refreshRotations(deps),
});

/** Every minute: each rotation's Slack user group holds whoever is on call (services/oncall/usergroups.ts, issue 22). */
export const oncallUsergroups = scheduledJob({
  schedulerId: 'oncall-usergroups',
  name: 'oncall-usergroups',
  every: () => 60_000,
  run: (deps) => syncUsergroups(deps),
});

export const scheduledJobs: readonly ScheduledJob[] = [standupTick, dueWorkSweep, oncallRefresh, oncallUsergroups];
