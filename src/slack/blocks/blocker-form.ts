import type { View } from '@slack/types';
import { SEVERITIES, type Severity } from '../../domain/blockers/ladder.js';
import { encodeSlack, slackPayloads } from '../payloads.js';
import { BLOCKER_IDS } from './ids.js';
import { LIMITS } from './limits.js';
import { safePlain } from './text.js';

export const BLOCKER_FORM_BLOCKS = { text: 'bf_text', severity: 'bf_severity', owner: 'bf_owner', workstream: 'bf_workstream', gate: 'bf_gate' } as const;
export const FORM_ACTION = 'value';

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text: safePlain(text, LIMITS.optionText) }, value });

/** The `/blocker` modal: text, severity, owner (who it waits on), workstream, and gate when gates exist. */
export function blockerFormView(args: {
  workstreams: { id: string; name: string }[];
  defaultWorkstream: string | null;
  defaultSeverity: Severity;
  gates: { id: string; name: string }[];
  channelId: string | null;
}): View {
  const wsOptions = args.workstreams.slice(0, LIMITS.staticSelectOptions).map((w) => option(w.name, w.id));
  const sevOptions = SEVERITIES.map((s) => option(s === 'P0' ? 'P0: launch-blocking, now' : s === 'P1' ? 'P1: blocks my work' : 'P2: slows me down', s));
  const initialWs = wsOptions.find((o) => o.value === args.defaultWorkstream);
  return {
    type: 'modal',
    callback_id: BLOCKER_IDS.form,
    private_metadata: encodeSlack(slackPayloads.blockerForm, { channelId: args.channelId }),
    title: { type: 'plain_text', text: 'Raise a blocker' },
    submit: { type: 'plain_text', text: 'Raise' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BLOCKER_FORM_BLOCKS.text,
        label: { type: 'plain_text', text: 'What blocks you?' },
        element: { type: 'plain_text_input', action_id: FORM_ACTION, multiline: true, max_length: LIMITS.inputMaxLength },
      },
      {
        type: 'input',
        block_id: BLOCKER_FORM_BLOCKS.severity,
        label: { type: 'plain_text', text: 'Severity' },
        element: { type: 'static_select', action_id: FORM_ACTION, options: sevOptions, initial_option: sevOptions.find((o) => o.value === args.defaultSeverity) },
      },
      {
        type: 'input',
        block_id: BLOCKER_FORM_BLOCKS.owner,
        optional: true,
        label: { type: 'plain_text', text: 'Waiting on (owner)' },
        element: { type: 'users_select', action_id: FORM_ACTION },
      },
      {
        type: 'input',
        block_id: BLOCKER_FORM_BLOCKS.workstream,
        label: { type: 'plain_text', text: 'Workstream' },
        element: { type: 'static_select', action_id: FORM_ACTION, options: wsOptions, ...(initialWs ? { initial_option: initialWs } : {}) },
      },
      ...(args.gates.length
        ? [
            {
              type: 'input' as const,
              block_id: BLOCKER_FORM_BLOCKS.gate,
              optional: true,
              label: { type: 'plain_text' as const, text: 'Quality gate it affects' },
              element: { type: 'static_select' as const, action_id: FORM_ACTION, options: args.gates.slice(0, LIMITS.staticSelectOptions).map((g) => option(g.name, g.id)) },
            },
          ]
        : []),
    ],
  } as View;
}
