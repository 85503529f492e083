import type { KnownBlock, View } from '@slack/types';

/**
 * Block Kit limits, from docs.slack.dev/reference/block-kit (copied into this project from Slack's
 * reference; see test/fixtures/slack/README.md).
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  blockId: 255,
  actionId: 255,
  optionText: 75,
  optionValue: 150,
  staticSelectOptions: 100,
  inputMaxLength: 3000,
  modalTitle: 24,
  privateMetadata: 3000,
  messageText: 4000,
} as const;

type AnyObj = Record<string, unknown>;

function textOf(o: unknown): string | undefined {
  return o && typeof o === 'object' && typeof (o as AnyObj).text === 'string' ? ((o as AnyObj).text as string) : undefined;
}

/**
 * Checks blocks against the limits Slack enforces (Slack offers no offline validator).
 * @param surface message (50 blocks), modal or home (100 blocks).
 * @returns one human-readable problem per violation; empty when within limits.
 */
export function blockProblems(blocks: readonly KnownBlock[], surface: 'message' | 'modal' | 'home'): string[] {
  const problems: string[] = [];
  const max = surface === 'message' ? LIMITS.messageBlocks : surface === 'modal' ? LIMITS.modalBlocks : LIMITS.homeBlocks;
  if (blocks.length > max) problems.push(`${blocks.length} blocks > ${max} allowed in a ${surface}`);
  const checkText = (where: string, t: string | undefined, limit: number, min = 1) => {
    if (t === undefined) return;
    if (t.length > limit) problems.push(`${where}: text ${t.length} > ${limit}`);
    if (t.length < min) problems.push(`${where}: empty text`);
  };
  const checkElement = (where: string, el: AnyObj) => {
    if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) problems.push(`${where}: action_id too long`);
    if (el.type === 'button') {
      checkText(`${where} button`, textOf(el.text), LIMITS.buttonText);
      if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) problems.push(`${where}: button value too long`);
    }
    if (Array.isArray(el.options)) {
      if (el.options.length > LIMITS.staticSelectOptions) problems.push(`${where}: ${el.options.length} options > 100`);
      for (const o of el.options as AnyObj[]) {
        checkText(`${where} option`, textOf(o.text), LIMITS.optionText);
        if (typeof o.value === 'string' && o.value.length > LIMITS.optionValue) problems.push(`${where}: option value too long`);
      }
    }
    if (typeof el.max_length === 'number' && el.max_length > LIMITS.inputMaxLength) problems.push(`${where}: max_length > 3000`);
    if (typeof el.initial_value === 'string' && el.initial_value.length > LIMITS.inputMaxLength) problems.push(`${where}: initial_value > 3000`);
  };
  blocks.forEach((b, i) => {
    const block = b as unknown as AnyObj;
    const where = `block ${i} (${String(block.type)})`;
    if (typeof block.block_id === 'string' && block.block_id.length > LIMITS.blockId) problems.push(`${where}: block_id too long`);
    switch (block.type) {
      case 'header':
        checkText(where, textOf(block.text), LIMITS.headerText);
        break;
      case 'section': {
        checkText(where, textOf(block.text), LIMITS.sectionText);
        const fields = block.fields as AnyObj[] | undefined;
        if (fields) {
          if (fields.length > LIMITS.sectionFields) problems.push(`${where}: ${fields.length} fields > 10`);
          fields.forEach((f) => checkText(`${where} field`, textOf(f), LIMITS.fieldText));
        }
        if (!textOf(block.text) && !fields) problems.push(`${where}: section needs text or fields`);
        if (block.accessory) checkElement(where, block.accessory as AnyObj);
        break;
      }
      case 'context': {
        const els = block.elements as AnyObj[];
        if (els.length > LIMITS.contextElements) problems.push(`${where}: ${els.length} elements > 10`);
        els.forEach((e) => checkText(where, textOf(e), LIMITS.sectionText));
        break;
      }
      case 'actions': {
        const els = block.elements as AnyObj[];
        if (els.length > LIMITS.actionsElements) problems.push(`${where}: ${els.length} elements > 25`);
        els.forEach((e) => checkElement(where, e));
        break;
      }
      case 'input':
        checkText(`${where} label`, textOf(block.label), 2000);
        checkElement(where, block.element as AnyObj);
        break;
      default:
        break;
    }
  });
  return problems;
}

/** {@link blockProblems} for a whole modal or Home view, including title and private_metadata. */
export function viewProblems(view: View): string[] {
  const problems = blockProblems(view.blocks as KnownBlock[], view.type === 'home' ? 'home' : 'modal');
  if (view.type === 'modal') {
    const title = view.title?.text ?? '';
    if (title.length > LIMITS.modalTitle) problems.push(`modal title ${title.length} > 24`);
    if ((view.submit?.text.length ?? 0) > LIMITS.modalTitle) problems.push('modal submit text > 24');
    if ((view.close?.text.length ?? 0) > LIMITS.modalTitle) problems.push('modal close text > 24');
  }
  if ((view.private_metadata?.length ?? 0) > LIMITS.privateMetadata) problems.push('private_metadata > 3000');
  const size = Buffer.byteLength(JSON.stringify(view));
  if (size > 250_000) problems.push(`view is ${size} bytes > 250 kB (view_too_large)`);
  return problems;
}
