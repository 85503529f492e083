import { z } from 'zod';

/**
 * What Preflight round-trips through Slack: a modal's `private_metadata` (a string of at most 3,000
 * characters, docs.slack.dev/reference/views) and an interactive element's `value` (at most 2,000 characters,
 * docs.slack.dev/reference/block-kit/block-elements/button-element). Slack hands both back verbatim, but a
 * payload can be stale (a form opened before a deploy) or forged, so they are parsed like job payloads: one
 * zod codec per view or action, {@link encodeSlack} where the view or message is built, {@link decodeSlack}
 * where it is submitted or clicked. A value that does not decode gets a helpful answer, never a stack trace.
 */

const positiveId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** preflight.yml ids (workstreams, gates): see slugSchema in config/workspace.ts. */
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);

/** JSON text ↔ `schema` (what `private_metadata` holds). */
function jsonCodec<T extends z.ZodType>(schema: T) {
  return z.codec(z.string().max(3_000), schema, {
    decode: (text, ctx) => {
      try {
        return JSON.parse(text);
      } catch (err) {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: (err as Error).message });
        return z.NEVER;
      }
    },
    encode: (value) => JSON.stringify(value),
  });
}

/** A decimal string ↔ a positive integer id ("42" ↔ 42). */
const idText = z.codec(z.string().regex(/^[1-9]\d{0,15}$/), positiveId, { decode: Number, encode: String });

export const slackPayloads = {
  /** The standup modal's `private_metadata`: the run it answers. */
  standupForm: jsonCodec(z.strictObject({ runId: positiveId })),
  /** The `/blocker` modal's `private_metadata`: the channel the command was typed in (picks the workstream), if any. */
  blockerForm: jsonCodec(
    z.strictObject({
      channelId: z
        .string()
        .regex(/^[CGD][A-Z0-9]{2,}$/)
        .nullable(),
    }),
  ),
  /**
   * The checklist modal's `private_metadata`: the workstream, and what the form showed (`items` in order, the
   * option values index them; `shown` ticked) so a save changes only what this person toggled. Both are left
   * out when they would not fit in 3,000 characters (the save then replaces the ticked set).
   */
  checklistForm: jsonCodec(z.strictObject({ workstreamId: slug, items: z.array(z.string()).optional(), shown: z.array(z.string()).optional() })),
  /** The "Open the form" / "Edit my answer" button's `value`: the run id. */
  openStandupForm: idText,
  /** Acknowledge / Resolve / Escalate now buttons' `value`: the blocker id. */
  blockerButton: idText,
  /** A snooze menu option's `value`: "<blocker id>:<ms>". */
  blockerSnooze: z.codec(z.string().regex(/^[1-9]\d{0,15}:[1-9]\d{0,15}$/), z.strictObject({ blockerId: positiveId, ms: positiveId }), {
    decode: (text) => {
      const [blockerId, ms] = text.split(':').map(Number);
      return { blockerId: blockerId!, ms: ms! };
    },
    encode: (v) => `${v.blockerId}:${v.ms}`,
  }),
  /** The go/no-go summary's Sign off / Fail buttons' `value`: the gate id. */
  gateButton: slug,
};

type Codec = z.ZodType;

/**
 * Encodes `value` for Slack with its codec.
 * @throws ZodError when `value` does not fit the schema (a bug in the caller, not user input).
 */
export function encodeSlack<C extends Codec>(codec: C, value: z.output<C>): string {
  return z.encode(codec, value) as string;
}

/**
 * Decodes what Slack sent back.
 * @returns the value, or `problem`: a one-line description for the logs (the user gets a friendly text).
 */
export function decodeSlack<C extends Codec>(codec: C, raw: unknown): { ok: true; value: z.output<C> } | { ok: false; problem: string } {
  const res = z.safeDecode(codec, raw as z.input<C>);
  return res.success ? { ok: true, value: res.data } : { ok: false, problem: res.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ') };
}

export type StandupFormMetadata = z.output<typeof slackPayloads.standupForm>;
export type BlockerFormMetadata = z.output<typeof slackPayloads.blockerForm>;
export type ChecklistFormMetadata = z.output<typeof slackPayloads.checklistForm>;

/**
 * The checklist form's `private_metadata`: everything when it fits in 3,000 characters, else the workstream
 * alone (see {@link slackPayloads.checklistForm}).
 */
export function checklistFormMetadata(meta: ChecklistFormMetadata): string {
  // the codec refuses more than 3,000 characters: measure first
  const fits = JSON.stringify(meta).length <= 3_000;
  return encodeSlack(slackPayloads.checklistForm, fits ? meta : { workstreamId: meta.workstreamId });
}

/** What a member sees when a form's or button's payload does not decode (stale after a change, or tampered with). */
export const STALE_PAYLOAD = {
  standupForm: 'This form could not be read (it may be from before an update). Your text is still here: copy it, close the form and type `/standup` to open a fresh one.',
  blockerForm: 'This form could not be read (it may be from before an update). Copy your text, close the form and type `/blocker` to open a fresh one.',
  checklistForm: 'This checklist form could not be read (it may be from before an update). Close it and type `/gonogo checklist <workstream>` again.',
  openStandupForm: 'That button could not be read (the message may be from before an update). Type `/standup` to open your form.',
  blockerAction: 'That action did not name a blocker I know (the message may be from before an update). Try `/blocker list`.',
  gateAction: 'That button did not name a gate I know (the message may be from before an update). Type `/gonogo` for a fresh summary.',
} as const;
