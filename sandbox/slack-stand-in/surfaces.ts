/**
 * What the stand-in shows people besides channel messages: ephemeral messages (visible to one user in one
 * conversation), modal stacks (views.open / push / update, docs.slack.dev/surfaces/modals), the App Home tab
 * (views.publish), and the two handles Slack gives an app to answer an interaction: a `trigger_id` (one
 * modal for the user who acted, docs.slack.dev/interactivity/handling-user-interaction) and a `response_url`
 * (ephemeral answers or a replacement of the message acted on).
 */

export interface View {
  id: string;
  /** The view as the app sent it (type, title, blocks, callback_id, private_metadata, submit, close…). */
  view: Record<string, any>;
  /** The errors a `response_action: errors` answer put under the view's input blocks (block_id → message). */
  errors?: Record<string, string>;
}

export interface Ephemeral {
  ts: string;
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
}

/** Where a response_url leads: who acted, in which conversation, on which message. */
export interface ResponseTarget {
  user: string;
  channel: string;
  messageTs?: string;
}

export class Surfaces {
  readonly ephemerals: Ephemeral[] = [];
  /** A user's open modals, bottom first (at most 3, as Slack allows). */
  readonly modals = new Map<string, View[]>();
  readonly homes = new Map<string, View>();
  private readonly triggers = new Map<string, string>();
  private readonly responseUrls = new Map<string, ResponseTarget>();
  private seq = 0;

  /** A new trigger_id for an interaction by `user` (it opens one modal for them). */
  newTrigger(user: string): string {
    const id = `${Date.now()}.${++this.seq}.sandbox`;
    this.triggers.set(id, user);
    return id;
  }

  /** A new response_url token for an interaction by `target.user`. */
  newResponseToken(target: ResponseTarget): string {
    const token = `r${++this.seq}x${Math.random().toString(36).slice(2, 10)}`;
    this.responseUrls.set(token, target);
    return token;
  }

  /** The user a trigger_id was given to; undefined for one the stand-in never issued. */
  userOfTrigger(triggerId: string): string | undefined {
    return this.triggers.get(triggerId);
  }

  responseTarget(token: string): ResponseTarget | undefined {
    return this.responseUrls.get(token);
  }

  nextViewId(): string {
    return `V${String(++this.seq).padStart(8, '0')}`;
  }

  /** The modal (any user's) with this view id, and its owner. */
  findModal(viewId: string): { user: string; index: number; stack: View[] } | undefined {
    for (const [user, stack] of this.modals) {
      const index = stack.findIndex((v) => v.id === viewId);
      if (index >= 0) return { user, index, stack };
    }
    return undefined;
  }
}
