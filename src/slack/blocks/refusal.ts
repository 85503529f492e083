import type { Refusal } from '../../domain/permissions.js';
import { mention, safeMrkdwn } from './text.js';

/**
 * The ephemeral text of a permission refusal: the rule, then who can, as mentions
 * ("Only the PM or an exec can record the go/no-go decision: <@U0PM>, <@U0EXEC>.").
 */
export function refusalText(r: Pick<Refusal, 'rule' | 'who'>): string {
  const rule = safeMrkdwn(r.rule, 1_000);
  return r.who.length ? `${rule}: ${r.who.map(mention).join(', ')}.` : `${rule}.`;
}

/**
 * A refusal as a modal's inline error (`response_action: 'errors'`), which Slack shows as plain text: mentions
 * would appear as raw `<@U…>` ids and escapes as `&amp;`, so it is the rule alone, in words, unescaped
 * ("Only Payments' leads or the PM can tick its checklist.").
 */
export function refusalPlainText(r: Pick<Refusal, 'rule' | 'who'>): string {
  return `${r.rule.replace(/[.\s]+$/, '')}.`;
}

/** A service result's text: its `message`, or the rendered refusal when it was refused. */
export function resultText(r: { message: string } | { refusal: Pick<Refusal, 'rule' | 'who'> }): string {
  return 'refusal' in r ? refusalText(r.refusal) : r.message;
}
