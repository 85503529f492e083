/** A parsed `/gonogo` command. */
export type GonogoCommand =
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
    default:
      return { kind: 'invalid', message: `I don't know \`/gonogo ${first}\`.` };
  }
}
