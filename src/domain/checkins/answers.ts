import type { Question } from '../program/questions.js';

export type Risk = 'green' | 'yellow' | 'red';
/** Answers keyed by question id. Text answers are stored verbatim; percent as a number; risk as a Risk. */
export type AnswerValue = string | number;
export type Answers = Record<string, AnswerValue>;

export type ParseResult = { ok: true; value: AnswerValue | null } | { ok: false; error: string };

const EMPTY_BLOCKER = /^(none|no|nope|nothing|nil|n\/?a|no blockers?|not blocked|all good|-+|—|–|0|ø)[.!]*$/i;

/** True when a blockers answer means "no blocker": none, no, -, n/a, nothing, "no blockers" and the like. */
export function isEmptyBlocker(text: string | undefined | null): boolean {
  const t = (text ?? '').trim();
  return t === '' || EMPTY_BLOCKER.test(t);
}

const RISK_WORDS: Record<string, Risk> = {
  green: 'green',
  g: 'green',
  '🟢': 'green',
  ':large_green_circle:': 'green',
  ':green_circle:': 'green',
  ok: 'green',
  yellow: 'yellow',
  y: 'yellow',
  amber: 'yellow',
  '🟡': 'yellow',
  ':large_yellow_circle:': 'yellow',
  ':yellow_circle:': 'yellow',
  red: 'red',
  r: 'red',
  '🔴': 'red',
  ':red_circle:': 'red',
};

/** Parses "green", "g", "🟢", ":red_circle:" … into a Risk, or null. */
export function parseRisk(text: string): Risk | null {
  return (
    RISK_WORDS[
      text
        .trim()
        .toLowerCase()
        .replace(/[.!]+$/, '')
    ] ?? null
  );
}

/** Parses "80", "80%", " 80 % " into 0–100, or null. */
export function parsePercent(text: string): number | null {
  const m = /^(\d{1,3})\s*%?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n <= 100 ? n : null;
}

/**
 * Validates one answer typed by a member (DM reply or modal field) for `question`.
 * Text is kept verbatim (only surrounding whitespace trimmed); an empty optional answer yields null.
 * @returns ok with the value, or an error phrased as a hint on how to write it.
 */
export function parseAnswer(question: Question, raw: string | null | undefined): ParseResult {
  const text = (raw ?? '').trim();
  if (text === '') {
    return question.required ? { ok: false, error: emptyHint(question) } : { ok: true, value: null };
  }
  switch (question.kind) {
    case 'percent': {
      const n = parsePercent(text);
      return n === null ? { ok: false, error: 'Progress is a whole number from 0 to 100, like `80` or `80%`.' } : { ok: true, value: n };
    }
    case 'risk': {
      const r = parseRisk(text);
      return r === null ? { ok: false, error: 'Risk flag is one of `green`, `yellow` or `red`.' } : { ok: true, value: r };
    }
    default:
      return { ok: true, value: text };
  }
}

function emptyHint(q: Question): string {
  if (q.kind === 'blockers') return 'Write your blockers, or `none`.';
  if (q.kind === 'percent') return 'Progress is a whole number from 0 to 100, like `80`.';
  if (q.kind === 'risk') return 'Pick a risk flag: `green`, `yellow` or `red`.';
  return 'This question needs an answer.';
}

/** Index of the first required question without an answer, or -1 when the answers are complete. */
export function firstUnanswered(questions: readonly Question[], answers: Answers): number {
  return questions.findIndex((q) => q.required && (answers[q.id] === undefined || answers[q.id] === ''));
}

/** True when every required question has an answer. */
export function isComplete(questions: readonly Question[], answers: Answers): boolean {
  return firstUnanswered(questions, answers) === -1;
}

/** The risk flag among the answers (first risk question), if any. */
export function riskOf(questions: readonly Question[], answers: Answers): Risk | null {
  const q = questions.find((x) => x.kind === 'risk');
  const v = q ? answers[q.id] : undefined;
  return v === 'green' || v === 'yellow' || v === 'red' ? v : null;
}

/** Non-empty blocker texts among the answers (one per blockers question). */
export function blockersOf(questions: readonly Question[], answers: Answers): string[] {
  return questions
    .filter((q) => q.kind === 'blockers')
    .map((q) => answers[q.id])
    .filter((v): v is string => typeof v === 'string' && !isEmptyBlocker(v));
}

/**
 * The DM conversation: applies a member's reply to the question at `step`.
 * @returns the new answers and the next step (index of the next question, or `questions.length` when done),
 *          or an error hint (the step does not move) when the reply does not fit the question.
 */
export function applyDmReply(
  questions: readonly Question[],
  answers: Answers,
  step: number,
  reply: string,
): { ok: true; answers: Answers; step: number; done: boolean } | { ok: false; error: string; step: number } {
  const q = questions[step];
  if (!q) return { ok: true, answers, step: questions.length, done: true };
  const parsed = parseAnswer(q, reply);
  if (!parsed.ok) return { ok: false, error: parsed.error, step };
  const next = { ...answers };
  if (parsed.value !== null) next[q.id] = parsed.value;
  const nextStep = step + 1;
  return { ok: true, answers: next, step: nextStep, done: nextStep >= questions.length };
}
