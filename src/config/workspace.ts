/*
 * The entry point of the `preflight.yml` schema, split by concern under src/config/schema/. The vocabulary the
 * config is written in (weekdays, questions, severities, default ladders, the declared program's types) is the
 * domain's: src/domain/program and src/domain/checkins/days.ts.
 */

export type { Question } from '../domain/program/questions.js';
/** The default questions, re-exported for tests and benchmarks that build answers. */
export { DEFAULT_QUESTIONS } from '../domain/program/questions.js';
export { type CheckinConfig, PARTICIPANT_KEYWORDS, PROGRAM_PARTICIPANT_KEYWORDS, questionSchema } from './schema/checkins.js';
export { channelIdSchema, isoDateSchema, SLACK_USER_ID, userIdSchema, userRefSchema, zoneSchema } from './schema/fields.js';
export { type EscalationConfig, type WorkspaceConfig, type WorkstreamConfig, workspaceSchema } from './schema/index.js';
export { type TaskConfig, taskIdSchema } from './schema/tasks.js';
