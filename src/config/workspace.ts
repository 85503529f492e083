/*
 * The entry point of the `preflight.yml` schema (split by concern under src/config/schema/) and of the
 * domain's vocabulary the config is written in (src/domain/program), for readers of the config.
 */

export { type Weekday, WEEKDAYS } from '../domain/checkins/days.js';
export type { SignOffRule } from '../domain/gonogo/signoff.js';
export { DEFAULT_QUESTIONS, QUESTION_KINDS, type Question } from '../domain/program/questions.js';
export { DEFAULT_LADDERS, DEFAULT_TASK_PRIORITY, SEVERITIES } from '../domain/program/severities.js';
export { type CheckinConfig, PARTICIPANT_KEYWORDS, PROGRAM_PARTICIPANT_KEYWORDS, questionSchema } from './schema/checkins.js';
export { channelIdSchema, isoDateSchema, SLACK_USER_ID, userIdSchema, userRefSchema, zoneSchema } from './schema/fields.js';
export { type TaskConfig, taskIdSchema } from './schema/tasks.js';
export { type EscalationConfig, type WorkspaceConfig, type WorkstreamConfig, workspaceSchema } from './schema/index.js';
