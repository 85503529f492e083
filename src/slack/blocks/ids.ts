/** action_id / callback_id values shared by the block builders and the Bolt listeners. */
export const IDS = {
  openStandupForm: 'standup_open_form',
  standupForm: 'standup_form',
  /** The form's confirmation view after a complete answer (no submit: nothing listens for it). */
  standupFormDone: 'standup_form_done',
  answerAction: 'answer',
} as const;

/** block_id of the input for question `id` in the standup modal. */
export const questionBlockId = (id: string) => `q_${id}`;

/** block_id of the progress input for task `id` in the check-in modal (task ids never start like a question's `q_`). */
export const taskBlockId = (id: string) => `task_${id}`;

/** Blocker buttons and menus; the block_id carries the blocker id (menus have no value of their own). */
export const BLOCKER_IDS = {
  acknowledge: 'blocker_ack',
  resolve: 'blocker_resolve',
  escalate: 'blocker_escalate',
  snooze: 'blocker_snooze',
  reassign: 'blocker_reassign',
  form: 'blocker_form',
} as const;

export const blockerActionsBlockId = (id: number) => `blocker_actions_${id}`;

/** The blocker id of a blocker_actions_<id> block, else null. */
export function blockerIdFromBlockId(blockId: string | undefined): number | null {
  const m = /^blocker_actions_(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
}
