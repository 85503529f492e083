/**
 * The Block Kit limits the stand-in enforces the way Slack does, answering `ok: false` instead of posting.
 * Written independently of Preflight's own check (src/slack/blocks/limits.ts) so the two can disagree and a
 * test can see it. Numbers from docs.slack.dev/reference/block-kit/blocks (50 blocks in a message, 100 in a
 * modal or Home tab; section text 3,000, header 150, field 2,000 characters) and
 * docs.slack.dev/reference/methods/chat.postMessage (`msg_too_long` past 40,000 characters of text).
 */

type AnyObj = Record<string, any>;

const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;

/**
 * @returns null when `blocks` fit, else Slack's error code (`invalid_blocks`) and a one-line reason.
 * @param surface which surface's block count applies.
 */
export function blockLimitError(blocks: unknown, surface: keyof typeof MAX_BLOCKS): { error: string; reason: string } | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', reason: 'blocks must be an array' };
  if (blocks.length > MAX_BLOCKS[surface]) return { error: 'invalid_blocks', reason: `${blocks.length} blocks; a ${surface} holds at most ${MAX_BLOCKS[surface]}` };
  for (const [i, b] of (blocks as AnyObj[]).entries()) {
    const text = typeof b?.text?.text === 'string' ? (b.text.text as string) : '';
    if (b?.type === 'section' && text.length > 3000) return { error: 'invalid_blocks', reason: `block ${i}: section text ${text.length} > 3000` };
    if (b?.type === 'header' && text.length > 150) return { error: 'invalid_blocks', reason: `block ${i}: header text ${text.length} > 150` };
    for (const f of (b?.fields ?? []) as AnyObj[]) {
      if (String(f?.text ?? '').length > 2000) return { error: 'invalid_blocks', reason: `block ${i}: field text > 2000` };
    }
  }
  return null;
}

/** `msg_too_long` when a message's top-level `text` passes 40,000 characters, else null. */
export function textLimitError(text: unknown): { error: string; reason: string } | null {
  return typeof text === 'string' && text.length > 40_000 ? { error: 'msg_too_long', reason: `text ${text.length} > 40000` } : null;
}
