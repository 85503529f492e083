import { escapeHtml, type RenderContext } from './directory.js';
import { mrkdwnToHtml, plainToHtml } from './mrkdwn.js';

/*
 * Block Kit → HTML for the sandbox page, for the blocks and elements Preflight builds (src/slack/blocks/) and
 * the rest of docs.slack.dev/reference/block-kit/blocks that a message or modal commonly holds: header,
 * section (text, fields, accessory), context, divider, image, actions, input; elements button (primary /
 * danger styles, confirm dialogs), overflow, static_select, users_select, datepicker, checkboxes,
 * radio_buttons, plain_text_input, number_input. Anything else shows as a labelled placeholder rather than
 * disappearing. Every interactive element carries `data-action` (JSON: block_id, action_id, type, value) for
 * the page's script; controls inside input blocks carry `name="<block_id>/<action_id>"` and `data-type`.
 */

type AnyObj = Record<string, any>;

/** Slack's rule for a block without a `block_id`: it gets one; the sandbox uses its position. */
export const blockIdOf = (block: AnyObj, index: number): string => (typeof block.block_id === 'string' ? block.block_id : `b${index}`);

const attr = (value: unknown) => escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));

/** A text object (plain_text or mrkdwn) as HTML. */
export function textObject(t: AnyObj | undefined, ctx: RenderContext): string {
  if (!t || typeof t.text !== 'string') return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(t.text, ctx) : plainToHtml(t.text);
}

/** The plain text of a text object (for labels, option names, aria text). */
const plain = (t: AnyObj | undefined) => (t && typeof t.text === 'string' ? t.text : '');

/**
 * An element id the same every time the same view is rendered (`<what>-<scope>-<index>`): the page replaces a
 * modal's HTML only when it changed, so an id that differed at each render would wipe what a person typed whenever
 * anything else in the workspace changed.
 */
const stableId = (what: string, scope: string, index: number | string) => `${what}-${scope.replace(/[^\w-]/g, '_')}-${index}`;

function confirmAttr(el: AnyObj, ctx: RenderContext): string {
  const c = el.confirm as AnyObj | undefined;
  if (!c) return '';
  const dialog = {
    title: plain(c.title),
    text: c.text?.type === 'mrkdwn' ? mrkdwnToHtml(c.text.text, ctx) : escapeHtml(plain(c.text)),
    confirm: plain(c.confirm) || 'Yes',
    deny: plain(c.deny) || 'Cancel',
    style: c.style ?? '',
  };
  return ` data-confirm="${attr(dialog)}"`;
}

function optionsHtml(options: AnyObj[] = [], selected?: string): string {
  return options.map((o) => `<option value="${attr(o.value)}"${o.value === selected ? ' selected' : ''}>${escapeHtml(plain(o.text))}</option>`).join('');
}

/** An interactive element in a message, an accessory or an actions block. */
function element(el: AnyObj, blockId: string, ctx: RenderContext): string {
  const action = (extra: AnyObj = {}) => attr({ block_id: blockId, action_id: el.action_id, type: el.type, ...extra });
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' ? ' btn-primary' : el.style === 'danger' ? ' btn-danger' : '';
      if (el.url && !el.action_id) return `<a class="btn${style}" href="${attr(el.url)}" target="_blank" rel="noopener">${escapeHtml(plain(el.text))}</a>`;
      return `<button type="button" class="btn${style}" data-action="${action({ value: el.value ?? '' })}"${confirmAttr(el, ctx)}>${escapeHtml(plain(el.text))}</button>`;
    }
    case 'overflow':
      return `<select class="overflow" aria-label="More actions" data-action="${action()}"${confirmAttr(el, ctx)}><option value="">⋯</option>${optionsHtml(el.options)}</select>`;
    case 'static_select': {
      const label = plain(el.placeholder) || 'Choose';
      return `<select aria-label="${attr(label)}" data-action="${action()}"${confirmAttr(el, ctx)}><option value="">${escapeHtml(label)}</option>${optionsHtml(el.options, el.initial_option?.value)}</select>`;
    }
    case 'users_select': {
      const label = plain(el.placeholder) || 'Choose a person';
      return `<select aria-label="${attr(label)}" data-action="${action()}"${confirmAttr(el, ctx)}><option value="">${escapeHtml(label)}</option>${peopleOptions(ctx, el.initial_user)}</select>`;
    }
    case 'image':
      return `<img class="thumb" src="${attr(safeImage(el.image_url))}" alt="${attr(el.alt_text ?? '')}">`;
    default:
      return `<span class="unsupported">[${escapeHtml(String(el.type))}]</span>`;
  }
}

function peopleOptions(ctx: RenderContext, selected?: string): string {
  return (ctx.people ?? []).map((p) => `<option value="${attr(p.id)}"${p.id === selected ? ' selected' : ''}>${escapeHtml(p.name)}</option>`).join('');
}

function safeImage(url: unknown): string {
  return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : '';
}

/** A control inside an input block (modal). `error` is shown under it, linked for screen readers. */
function inputBlock(block: AnyObj, blockId: string, ctx: RenderContext, error: string | undefined, id: string): string {
  const el = (block.element ?? {}) as AnyObj;
  const name = `${blockId}/${el.action_id ?? ''}`;
  const described = error ? ` aria-describedby="${id}-err" aria-invalid="true"` : '';
  const common = `id="${id}" name="${attr(name)}" data-type="${attr(el.type)}"${described}`;
  const required = block.optional ? '' : ' required';
  const label = `<label for="${id}">${escapeHtml(plain(block.label))}${block.optional ? ' <span class="optional">(optional)</span>' : ''}</label>`;
  let control: string;
  switch (el.type) {
    case 'plain_text_input':
      control = el.multiline
        ? `<textarea ${common}${required} rows="3"${el.max_length ? ` maxlength="${Number(el.max_length)}"` : ''} placeholder="${attr(plain(el.placeholder))}">${escapeHtml(el.initial_value ?? '')}</textarea>`
        : `<input type="text" ${common}${required}${el.max_length ? ` maxlength="${Number(el.max_length)}"` : ''} placeholder="${attr(plain(el.placeholder))}" value="${attr(el.initial_value ?? '')}">`;
      break;
    case 'number_input':
      control = `<input type="number" ${common}${required} step="${el.is_decimal_allowed ? 'any' : '1'}"${el.min_value !== undefined ? ` min="${attr(el.min_value)}"` : ''}${el.max_value !== undefined ? ` max="${attr(el.max_value)}"` : ''} value="${attr(el.initial_value ?? '')}">`;
      break;
    case 'static_select':
      control = `<select ${common}${required}><option value="">${escapeHtml(plain(el.placeholder) || 'Choose')}</option>${optionsHtml(el.options, el.initial_option?.value)}</select>`;
      break;
    case 'users_select':
      control = `<select ${common}${required}><option value="">${escapeHtml(plain(el.placeholder) || 'Choose a person')}</option>${peopleOptions(ctx, el.initial_user)}</select>`;
      break;
    case 'datepicker':
      control = `<input type="date" ${common}${required} value="${attr(el.initial_date ?? '')}">`;
      break;
    case 'checkboxes':
    case 'radio_buttons': {
      const initial = new Set(((el.type === 'checkboxes' ? el.initial_options : el.initial_option ? [el.initial_option] : []) ?? []).map((o: AnyObj) => o.value));
      const kind = el.type === 'checkboxes' ? 'checkbox' : 'radio';
      const items = ((el.options ?? []) as AnyObj[]).map((o, i) => {
        const oid = `${id}-${i}`;
        return `<div class="choice"><input type="${kind}" id="${oid}" name="${attr(name)}" data-type="${attr(el.type)}" value="${attr(o.value)}"${initial.has(o.value) ? ' checked' : ''}><label for="${oid}">${textObject(o.text, ctx)}</label></div>`;
      });
      return `<fieldset class="input" data-block-id="${attr(blockId)}"${described}><legend>${escapeHtml(plain(block.label))}</legend>${items.join('')}${hintAndError(block, id, error, ctx)}</fieldset>`;
    }
    default:
      control = `<span class="unsupported">[${escapeHtml(String(el.type))}]</span>`;
  }
  return `<div class="input" data-block-id="${attr(blockId)}">${label}${control}${hintAndError(block, id, error, ctx)}</div>`;
}

function hintAndError(block: AnyObj, id: string, error: string | undefined, ctx: RenderContext): string {
  return `${block.hint ? `<div class="hint">${textObject(block.hint, ctx)}</div>` : ''}${error ? `<div class="field-error" id="${id}-err" role="alert">${escapeHtml(error)}</div>` : ''}`;
}

/**
 * Renders one block.
 * @param errors a modal's `response_action: errors` (block_id → message), shown under that input.
 * @param scope what makes an input's element id unique on the page with `index` (a modal's view id).
 */
export function renderBlock(block: AnyObj, index: number, ctx: RenderContext, errors: Record<string, string> = {}, scope = 'blocks'): string {
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return `<h3 class="bk-header">${escapeHtml(plain(block.text))}</h3>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textObject(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields) ? `<div class="bk-fields">${block.fields.map((f: AnyObj) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>` : '';
      const accessory = block.accessory ? `<div class="bk-accessory">${element(block.accessory, blockId, ctx)}</div>` : '';
      return `<section class="bk-section">${text}${fields}${accessory}</section>`;
    }
    case 'context':
      return `<div class="bk-context">${((block.elements ?? []) as AnyObj[]).map((e) => (e.type === 'image' ? element(e, blockId, ctx) : `<span>${textObject(e, ctx)}</span>`)).join(' ')}</div>`;
    case 'image':
      return `<figure class="bk-image">${block.title ? `<figcaption>${escapeHtml(plain(block.title))}</figcaption>` : ''}<img src="${attr(safeImage(block.image_url))}" alt="${attr(block.alt_text ?? '')}"></figure>`;
    case 'actions':
      return `<div class="bk-actions" role="group">${((block.elements ?? []) as AnyObj[]).map((e) => element(e, blockId, ctx)).join('')}</div>`;
    case 'input':
      return inputBlock(block, blockId, ctx, errors[blockId], stableId('in', scope, index));
    default:
      return `<div class="unsupported">[${escapeHtml(String(block.type))} block]</div>`;
  }
}

/**
 * A list of blocks (a message's, a modal's or the Home tab's).
 * @param scope see {@link renderBlock}.
 */
export function renderBlocks(blocks: unknown, ctx: RenderContext, errors?: Record<string, string>, scope?: string): string {
  if (!Array.isArray(blocks)) return '';
  return blocks.map((b, i) => renderBlock(b as AnyObj, i, ctx, errors, scope)).join('');
}

/**
 * A message body: its blocks when it has any, else its `text` as mrkdwn (Slack shows `text` only as the
 * notification fallback when blocks are present).
 */
export function renderMessageBody(message: { text?: string; blocks?: unknown }, ctx: RenderContext): string {
  return Array.isArray(message.blocks) && message.blocks.length > 0 ? renderBlocks(message.blocks, ctx) : `<div class="bk-text">${mrkdwnToHtml(message.text ?? '', ctx)}</div>`;
}

/**
 * A modal as a form: title, blocks, errors under their inputs, Cancel (close) and Submit (when the view has one).
 * The same view gives the same HTML each time (its element ids come from the view id and block index).
 * @param view the view as the app sent it; @param viewId the stand-in's id for it.
 */
export function renderModal(view: AnyObj, viewId: string, ctx: RenderContext, errors: Record<string, string> = {}): string {
  const titleId = stableId('title', viewId, 0);
  const submit = view.submit ? `<button type="submit" class="btn btn-primary">${escapeHtml(plain(view.submit))}</button>` : '';
  return `<form class="modal" role="dialog" aria-modal="true" aria-labelledby="${titleId}" data-view-id="${attr(viewId)}"><h2 id="${titleId}">${escapeHtml(plain(view.title))}</h2><div class="modal-body">${renderBlocks(view.blocks, ctx, errors, viewId)}</div><div class="modal-buttons"><button type="button" class="btn" data-close-modal="1">${escapeHtml(plain(view.close) || 'Cancel')}</button>${submit}</div></form>`;
}
