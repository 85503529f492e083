/** action_id / callback_id values shared by the block builders and the Bolt listeners. */
export const IDS = {
  openStandupForm: 'standup_open_form',
  standupForm: 'standup_form',
  answerAction: 'answer',
} as const;

/** block_id of the input for question `id` in the standup modal. */
export const questionBlockId = (id: string) => `q_${id}`;
