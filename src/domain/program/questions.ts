/*
 * The questions of a check-in (`questions:` in preflight.yml): the domain's vocabulary, which src/config validates
 * and src/domain/standups reads answers by.
 */

/** text: free text; blockers: free text where "none" counts as empty; percent: 0–100; risk: green/yellow/red. */
export const QUESTION_KINDS = ['text', 'blockers', 'percent', 'risk'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One question of a check-in: `id` keys the answer (a slug, unique in its check-in); `prompt` is shown as written. */
export interface Question {
  id: string;
  prompt: string;
  kind: QuestionKind;
  required: boolean;
}

/** Default questions: seed 004's async standup template plus seed 003's Red/Yellow/Green risk flag. */
export const DEFAULT_QUESTIONS: Question[] = [
  { id: 'yesterday', prompt: 'What did you complete yesterday?', kind: 'text', required: true },
  { id: 'today', prompt: 'What are you working on today?', kind: 'text', required: true },
  { id: 'blockers', prompt: 'Any blockers? (or "none")', kind: 'blockers', required: true },
  { id: 'progress', prompt: 'Progress on your current task, in %?', kind: 'percent', required: true },
  { id: 'risk', prompt: 'Risk flag: green, yellow or red?', kind: 'risk', required: true },
];
