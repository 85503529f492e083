import { sql } from 'drizzle-orm';
import { standupAnswers, standupPrompts } from '../../db/schema/index.js';

/**
 * SQL condition, true when the prompt's member (`standup_prompts.user_id`) has a complete answer in the prompt's run
 * (`standup_prompts.run_id`). For queries that select from `standup_prompts`; served by the answers'
 * `(run_id, user_id)` unique index. Negate it with `not(...)` for "still owes an answer".
 */
export const promptAnswerComplete = sql`EXISTS (SELECT 1 FROM ${standupAnswers} a WHERE a.run_id = ${standupPrompts.runId} AND a.user_id = ${standupPrompts.userId} AND a.complete)`;
