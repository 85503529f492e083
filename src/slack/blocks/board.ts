import type { KnownBlock } from '@slack/types';
import type { BoardModel } from '../../domain/board/board.js';
import type { OutgoingMessage } from '../../services/delivery/renderer.js';
import { boardTitle, gateLine, SECTION_TITLE, updatedLine, verdictLines, workstreamLines, type BoardMarkup } from '../canvas/board.js';
import { LIMITS } from './limits.js';
import { escapeMrkdwn, mention, safePlain, truncate } from './text.js';

/** mrkdwn, for the pinned-message fallback. */
const MRKDWN: BoardMarkup = { bold: (t) => `*${t}*`, mention, plain: escapeMrkdwn };

/**
 * The status board as a Block Kit message (issue 23): the pinned fallback where the workspace has no canvases, with
 * the canvas's content (slack/canvas/board.ts writes both): a header, a section per workstream, the gates, the
 * verdict with its reasons, and "updated …" in the context line. Within Block Kit's limits (each section's text cut
 * at LIMITS.sectionText; at most 50 blocks: the workstreams past the 40th are summed up in one line).
 */
export function boardMessage(model: BoardModel): OutgoingMessage {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: safePlain(`📋 ${boardTitle(model)}`, LIMITS.headerText) } }];
  // the lines escape what people wrote themselves (MRKDWN.plain) and keep Preflight's own mentions
  const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } });
  const MAX_WORKSTREAMS = 40;
  for (const s of model.sections) {
    if (s === 'workstreams') {
      blocks.push(section(`*${SECTION_TITLE.workstreams}*`));
      for (const w of model.workstreams.slice(0, MAX_WORKSTREAMS)) {
        const { head, details } = workstreamLines(w, model.zone, MRKDWN);
        blocks.push(section([head, ...details.map((d) => `• ${d}`)].join('\n')));
      }
      if (model.workstreams.length > MAX_WORKSTREAMS) blocks.push(section(`… and ${model.workstreams.length - MAX_WORKSTREAMS} more workstreams`));
    } else if (s === 'gates') {
      blocks.push(section([`*${SECTION_TITLE.gates}*`, ...(model.gates.length ? model.gates.map((g) => `• ${gateLine(g, model.zone, MRKDWN)}`) : ['No gates.'])].join('\n')));
    } else {
      const { head, reasons } = verdictLines(model, MRKDWN);
      blocks.push(section([`*${SECTION_TITLE.verdict}*`, head, ...reasons.map((r) => `• ${r}`)].join('\n')));
    }
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: updatedLine(model) }] });
  return { text: `${boardTitle(model)}: ${model.verdict.decision} (${updatedLine(model)})`, blocks };
}
