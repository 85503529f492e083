import { blockIdOf } from './render/block-kit.js';
import { appHomeOpenedEvent, blockActions, dmMessageEvent, slashCommand, viewSubmission, type ActionSource, type Workspace } from './slack-stand-in/requests.js';
import { imChannelOf } from './slack-stand-in/messages.js';
import { signedHeaders } from './slack-stand-in/signing.js';
import { type FunctionParameter, functionExecutedBody, userContext } from './slack-stand-in/functions.js';
import type { SlackApiFake } from './slack-stand-in/web-api.js';
import type { SandboxDirectory } from './workspace/people.js';

/*
 * The sandbox's stand-in for Slack's client side: turns what a person does on the page into the signed
 * request Slack would send to Preflight's Request URL (POST /slack/events), and applies Preflight's HTTP
 * answer as Slack does (a slash command's ephemeral reply, a view_submission's response_action). Slack's
 * rules followed here: an app has 3 seconds to answer (docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response),
 * else the user sees "failed with the error operation_timeout"; an unknown slash command is refused by Slack
 * itself, without reaching the app.
 */

type AnyObj = Record<string, any>;

export class UserError extends Error {}

/** A Workflow Builder step the app declares (manifest.yml `functions:`), as the sandbox's "Run a workflow step" offers it. */
export interface SandboxStep {
  callbackId: string;
  title: string;
  inputs: FunctionParameter[];
  outputs: FunctionParameter[];
}

/** How a step run ended on Slack's side: completed with outputs, failed with the error, or not answered in time. */
export type StepRunResult = { state: 'completed'; outputs: Record<string, unknown> } | { state: 'failed'; error: string } | { state: 'running' };

/** Where an action happened, as the page reports it. */
export type ActionWhere = { kind: 'message'; channel: string; ts: string; ephemeral?: boolean } | { kind: 'view'; viewId: string };

export class SandboxBridge {
  constructor(
    private readonly standIn: SlackApiFake,
    private readonly dir: SandboxDirectory,
    private readonly bot: { url: string; signingSecret: string },
    private readonly ws: Workspace,
    /** Slash commands the app declares (manifest.yml `features.slash_commands`), e.g. ["/standup", …]. */
    readonly commands: string[],
    /** How long Preflight has to answer a request, ms: Slack's 3 s unless a test on a loaded box allows more. */
    private readonly ackTimeoutMs = 3_000,
    /** Workflow Builder steps the app declares (manifest.yml `functions:`). */
    readonly steps: SandboxStep[] = [],
  ) {}

  /**
   * "Run a workflow step": what Slack does when a workflow reaches one of the app's custom steps. The person is the
   * `user_context` input (as "Person who used this workflow"), the other inputs are the page's; Slack sends the
   * `function_executed` event (slack-stand-in/functions.ts) and Preflight answers with functions.completeSuccess or
   * completeError, which the stand-in records.
   * @returns how the execution ended, once Preflight answered (or 'running' after `waitMs`).
   * @throws UserError for an unknown person or step, or a missing required input.
   */
  async runStep(user: string, callbackId: string, inputs: Record<string, string>, waitMs = 15_000): Promise<StepRunResult> {
    this.person(user);
    const step = this.steps.find((s) => s.callbackId === callbackId);
    if (!step) throw new UserError(`unknown workflow step ${callbackId}`);
    const given: Record<string, unknown> = {};
    for (const p of step.inputs) {
      if (p.type === 'slack#/types/user_context') {
        given[p.name] = userContext(user);
        continue;
      }
      const v = (inputs[p.name] ?? '').trim();
      if (!v) {
        if (p.is_required) throw new UserError(`${step.title}: “${p.title ?? p.name}” is required`);
        continue;
      }
      given[p.name] = p.type === 'integer' || p.type === 'number' ? (Number.isNaN(Number(v)) ? v : Number(v)) : v;
    }
    const body = functionExecutedBody({ callbackId, inputs: given, teamId: this.ws.teamId, appId: this.ws.appId, inputParameters: step.inputs, outputParameters: step.outputs });
    this.standIn.functions.started(body);
    const id = String(body.event.function_execution_id);
    const res = await this.send(JSON.stringify(body), 'application/json');
    if (res !== 'timeout' && res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const end = Date.now() + waitMs;
    for (;;) {
      const e = this.standIn.functions.executions.get(id);
      if (e?.state === 'completed') return { state: 'completed', outputs: e.outputs ?? {} };
      if (e?.state === 'failed') return { state: 'failed', error: e.error ?? '' };
      if (Date.now() > end) return { state: 'running' };
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private name(user: string): string {
    return this.dir.people.find((p) => p.id === user)?.name ?? user;
  }

  private channelName(channel: string): string {
    return this.dir.channels.find((c) => c.id === channel)?.name ?? 'directmessage';
  }

  private person(user: string): void {
    if (!this.dir.people.some((p) => p.id === user)) throw new UserError(`unknown person ${user}`);
  }

  private responseUrl(user: string, channel: string, messageTs?: string): string {
    return `${this.standIn.url}response/${this.standIn.surfaces.newResponseToken({ user, channel, messageTs })}`;
  }

  /** POSTs a signed body to Preflight; @returns its status and JSON answer (null when the body is empty), or a timeout. */
  private async send(body: string, type: 'application/x-www-form-urlencoded' | 'application/json'): Promise<{ status: number; json: AnyObj | null } | 'timeout'> {
    try {
      const res = await fetch(`${this.bot.url}/slack/events`, { method: 'POST', headers: signedHeaders(this.bot.signingSecret, body, type), body, signal: AbortSignal.timeout(this.ackTimeoutMs) });
      const text = await res.text();
      let json: AnyObj | null = null;
      try {
        json = text ? (JSON.parse(text) as AnyObj) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json };
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') return 'timeout';
      throw err;
    }
  }

  /**
   * What the composer sends: a slash command (`/standup start ws1`) or a message. A message in the person's
   * DM with the app reaches Preflight as a `message.im` event; in a channel it is only posted (Preflight does
   * not subscribe to channel messages).
   * @param conversation a channel id or "dm".
   */
  async compose(user: string, conversation: string, text: string, threadTs?: string): Promise<void> {
    this.person(user);
    const channel = conversation === 'dm' ? imChannelOf(user) : conversation;
    const trimmed = text.trim();
    if (!trimmed) return;
    const cmd = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(trimmed);
    if (cmd) {
      const command = cmd[1]!.toLowerCase();
      if (!this.commands.includes(command)) {
        this.standIn.addEphemeral({ channel, user, text: `${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.` });
        return;
      }
      const body = slashCommand(this.ws, {
        command,
        text: cmd[2]?.trim() ?? '',
        user,
        userName: this.name(user),
        channel,
        channelName: this.channelName(channel),
        triggerId: this.standIn.surfaces.newTrigger(user),
        responseUrl: this.responseUrl(user, channel),
      });
      const res = await this.send(body, 'application/x-www-form-urlencoded');
      if (res === 'timeout' || res.status !== 200) {
        this.standIn.addEphemeral({ channel, user, text: `${command} failed with the error "${res === 'timeout' ? 'operation_timeout' : 'dispatch_failed'}"` });
        return;
      }
      if (res.json && (res.json.text || res.json.blocks)) {
        if (res.json.response_type === 'in_channel') this.standIn.messages.post({ channel, text: res.json.text, blocks: res.json.blocks });
        else this.standIn.addEphemeral({ channel, user, text: res.json.text, blocks: res.json.blocks });
      }
      return;
    }
    const m = this.standIn.postAsUser({ channel, user, text: trimmed, thread_ts: threadTs });
    if (channel.startsWith('D')) await this.send(dmMessageEvent(this.ws, { user, channel, text: trimmed, ts: m.ts, thread_ts: threadTs }), 'application/json');
  }

  /** The person opens their App Home tab: `app_home_opened`. */
  async openHome(user: string): Promise<void> {
    this.person(user);
    await this.send(appHomeOpenedEvent(this.ws, { user, channel: imChannelOf(user), viewId: this.standIn.surfaces.homes.get(user)?.id }), 'application/json');
  }

  /**
   * A click on a button, or a choice in an overflow menu or select, in a message, the Home tab or a modal.
   * The element is looked up in what the stand-in holds (never trusted from the page).
   * @param selected the chosen option's value, for overflow / static_select.
   */
  async act(user: string, where: ActionWhere, blockId: string, actionId: string, selected?: string, formValues?: Record<string, string | string[]>): Promise<void> {
    this.person(user);
    let blocks: AnyObj[] = [];
    let source: ActionSource;
    if (where.kind === 'message') {
      const channel = where.channel;
      const message = where.ephemeral ? this.standIn.surfaces.ephemerals.find((e) => e.user === user && e.channel === channel && e.ts === where.ts) : this.standIn.messages.find(channel, where.ts);
      if (!message) throw new UserError('That message is gone.');
      blocks = (message.blocks as AnyObj[]) ?? [];
      source = {
        kind: 'message',
        channel,
        channelName: this.channelName(channel),
        message: { ts: message.ts, text: message.text, blocks: message.blocks },
        isEphemeral: Boolean(where.ephemeral),
        responseUrl: this.responseUrl(user, channel, where.ephemeral ? undefined : message.ts),
      };
    } else {
      const home = this.standIn.surfaces.homes.get(user);
      const modal = this.standIn.surfaces.modals.get(user)?.find((v) => v.id === where.viewId);
      const view = home?.id === where.viewId ? home : modal;
      if (!view) throw new UserError('That view is closed.');
      blocks = (view.view.blocks as AnyObj[]) ?? [];
      source = { kind: 'view', view: view.view, viewId: view.id, state: modal && formValues ? stateValues(blocks, formValues) : {} };
    }
    const element = findElement(blocks, blockId, actionId);
    if (!element) throw new UserError('That button is no longer there.');
    const action: AnyObj = { action_id: actionId, block_id: blockId, type: element.type };
    if (element.type === 'button') Object.assign(action, { text: element.text, value: element.value, ...(element.style ? { style: element.style } : {}) });
    else if (element.type === 'users_select') {
      if (!selected || !this.dir.people.some((p) => p.id === selected)) throw new UserError('Pick one of the people.');
      action.selected_user = selected;
    } else {
      const option = ((element.options ?? []) as AnyObj[]).find((o) => o.value === selected);
      if (!option) throw new UserError('Pick one of the options.');
      action.selected_option = { text: option.text, value: option.value };
    }
    const res = await this.send(blockActions(this.ws, { user, userName: this.name(user), triggerId: this.standIn.surfaces.newTrigger(user), source, action }), 'application/x-www-form-urlencoded');
    if (res === 'timeout' && where.kind === 'message') this.standIn.addEphemeral({ channel: where.channel, user, text: 'Preflight did not respond in time (operation_timeout).' });
  }

  /** The person submits their top modal with the page's form values (`<block_id>/<action_id>` → value(s)). */
  async submit(user: string, viewId: string, formValues: Record<string, string | string[]>): Promise<void> {
    this.person(user);
    const view = this.standIn.surfaces.modals.get(user)?.find((v) => v.id === viewId);
    if (!view) throw new UserError('That form is closed.');
    const values = stateValues((view.view.blocks as AnyObj[]) ?? [], formValues, this.dir);
    const res = await this.send(
      viewSubmission(this.ws, { user, userName: this.name(user), triggerId: this.standIn.surfaces.newTrigger(user), view: view.view, viewId, values }),
      'application/x-www-form-urlencoded',
    );
    if (res === 'timeout' || res.status !== 200) {
      this.standIn.applySubmissionAnswer(user, viewId, { response_action: 'errors', errors: firstInputError(view.view.blocks, 'We had some trouble connecting. Try again?') });
      return;
    }
    this.standIn.applySubmissionAnswer(user, viewId, res.json);
  }

  /** Cancel / × on the top modal. */
  close(user: string): void {
    this.person(user);
    this.standIn.closeModal(user);
  }
}

function firstInputError(blocks: unknown, message: string): Record<string, string> {
  const list = Array.isArray(blocks) ? (blocks as AnyObj[]) : [];
  const i = list.findIndex((b) => b.type === 'input');
  return i >= 0 ? { [blockIdOf(list[i]!, i)]: message } : {};
}

function findElement(blocks: AnyObj[], blockId: string, actionId: string): AnyObj | undefined {
  for (const [i, b] of blocks.entries()) {
    if (blockIdOf(b, i) !== blockId) continue;
    const els = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])] as AnyObj[];
    const found = els.find((e) => e.action_id === actionId);
    if (found) return found;
  }
  return undefined;
}

/**
 * A modal's inputs as Slack's `view.state.values` (block_id → action_id → typed value,
 * docs.slack.dev/reference/interaction-payloads/view-interactions-payload#view_submission).
 * @param form the page's values keyed `<block_id>/<action_id>` (arrays for checkboxes).
 */
export function stateValues(blocks: AnyObj[], form: Record<string, string | string[]>, dir?: SandboxDirectory): AnyObj {
  const values: AnyObj = {};
  blocks.forEach((b, i) => {
    if (b.type !== 'input' || !b.element) return;
    const el = b.element as AnyObj;
    const blockId = blockIdOf(b, i);
    const raw = form[`${blockId}/${el.action_id}`];
    const one = Array.isArray(raw) ? raw[0] : raw;
    const many = Array.isArray(raw) ? raw : raw ? [raw] : [];
    const option = (v: string | undefined) => ((el.options ?? []) as AnyObj[]).find((o) => o.value === v);
    let value: AnyObj;
    switch (el.type) {
      case 'plain_text_input':
      case 'number_input':
        value = { type: el.type, value: one === undefined || one === '' ? null : one };
        break;
      case 'static_select':
      case 'radio_buttons': {
        const o = option(one);
        value = { type: el.type, selected_option: o ? { text: o.text, value: o.value } : null };
        break;
      }
      case 'checkboxes':
        value = {
          type: el.type,
          selected_options: many
            .map(option)
            .filter(Boolean)
            .map((o) => ({ text: o!.text, value: o!.value })),
        };
        break;
      case 'datepicker':
        value = { type: el.type, selected_date: one || null };
        break;
      case 'users_select':
        value = { type: el.type, selected_user: one && (!dir || dir.people.some((p) => p.id === one)) ? one : null };
        break;
      default:
        value = { type: el.type, value: one ?? null };
    }
    values[blockId] = { [el.action_id]: value };
  });
  return values;
}
