import type { OutgoingMessage } from '../../services/delivery/renderer.js';
import { type WarRoomMessage, warRoomText } from '../../domain/warroom/room.js';
import { escapeMrkdwn } from './text.js';

/**
 * A war room message (issue 23) as Slack text: the domain's wording (domain/warroom/room.ts warRoomText), user text
 * (a blocker's, a gate's note) escaped for mrkdwn. Plain text, no blocks: these are short lines.
 */
export function warRoomMessage(m: WarRoomMessage): OutgoingMessage {
  return { text: warRoomText(m, escapeMrkdwn) };
}
