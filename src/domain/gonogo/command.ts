import { type DueSpec, didYouMean, parseDueWords } from '../plan/replan.js';

/** A parsed `/gonogo` command. */
export type GonogoCommand =
  | { kind: 'due'; gate: string; due: DueSpec; reason: string | null }
  | { kind: 'summary' }
  | { kind: 'checklist'; workstream: string }
  | { kind: 'decide'; decision: 'go' | 'no-go' | 'conditional'; note: string | null }
  | { kind: 'sign'; gate: string; outcome: 'passed' | 'failed'; note: string | null }
  | { kind: 'history' }
  | { kind: 'help' }
  | { kind: 'invalid'; message: string };

export const GONOGO_USAGE = [
  '*`/gonogo`* posts the launch-readiness verdict here: gates, workstreams, what is still needed',
  '*`/gonogo checklist <workstream>`* ticks a workstream’s go/no-go checklist (its leads, the PM)',
  '*`/gonogo signoff <gate> [note]`* · *`/gonogo fail <gate> [note]`* signs off or fails a gate (its sign-off authority; buttons in the summary do the same)',
  '*`/gonogo decide go|no-go|conditional [note]`* records the decision (the PM or an exec)',
  '*`/gonogo history`* past decisions and sign-offs, with who and when',
  '*`/gonogo due gate2 15:00 [reason]`* moves a gate’s due time (today, in the program’s zone; or `2026-12-06 15:00`; the PM; kept on top of preflight.yml until the file changes it)',
].join('\n');

const DECISIONS: Record<string, 'go' | 'no-go' | 'conditional'> = { go: 'go', 'no-go': 'no-go', nogo: 'no-go', no_go: 'no-go', conditional: 'conditional', 'conditional-go': 'conditional' };

/** Parses the text after `/gonogo`. */
export function parseGonogoCommand(text: string, workstreamIds: readonly string[], gateIds: readonly string[]): GonogoCommand {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'summary' };
  const [first, second, ...rest] = trimmed.split(/\s+/);
  const sub = first!.toLowerCase();
  const noteFrom = (words: string[]) => (words.length ? words.join(' ') : null);
  switch (sub) {
    case 'help':
      return { kind: 'help' };
    case 'history':
      return { kind: 'history' };
    case 'checklist':
      if (!second || !workstreamIds.includes(second)) return { kind: 'invalid', message: `Write \`/gonogo checklist <workstream>\` (workstreams: ${workstreamIds.join(', ')}).` };
      return { kind: 'checklist', workstream: second };
    case 'decide': {
      const d = second ? DECISIONS[second.toLowerCase()] : undefined;
      if (!d) return { kind: 'invalid', message: 'Write `/gonogo decide go`, `/gonogo decide no-go` or `/gonogo decide conditional`, optionally followed by a note.' };
      return { kind: 'decide', decision: d, note: noteFrom(rest) };
    }
    case 'signoff':
    case 'sign-off':
    case 'fail': {
      const verb = sub === 'fail' ? 'fail' : 'signoff';
      if (!second || !gateIds.includes(second)) return { kind: 'invalid', message: `Write \`/gonogo ${verb} <gate>\` (gates: ${gateIds.join(', ') || 'none configured'}).` };
      return { kind: 'sign', gate: second, outcome: sub === 'fail' ? 'failed' : 'passed', note: noteFrom(rest) };
    }
    case 'due': {
      if (!second || !gateIds.includes(second)) {
        const near = second ? didYouMean(second, gateIds) : undefined;
        return {
          kind: 'invalid',
          message: `${second ? `There is no gate \`${second}\`.${near ? ` Did you mean \`${near}\`?` : ''} ` : ''}Write \`/gonogo due <gate> 15:00\` (gates: ${gateIds.join(', ') || 'none configured'}).`,
        };
      }
      const due = parseDueWords(rest);
      if (!due) return { kind: 'invalid', message: `Give the new due time, e.g. \`/gonogo due ${second} 15:00\` (today) or \`/gonogo due ${second} 2026-12-06 15:00\`.` };
      return { kind: 'due', gate: second, due: due.due, reason: noteFrom(rest.slice(due.used)) };
    }
    default:
      return { kind: 'invalid', message: `I don't know \`/gonogo ${first}\`.` };
  }
}
