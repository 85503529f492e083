import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const START_PROD = /^((?:[A-Z_]+=[^ ]+ )*)exec (node(?: [^ ]+)* dist\/main\.js)$/;

/** The `start:prod` script of package.json, checked against its shape `[VAR=value …] exec node [flags] dist/main.js`. */
function startProd(root: string): RegExpExecArray {
  const script: string | undefined = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.['start:prod'];
  const m = START_PROD.exec(script ?? '');
  if (!m) throw new Error(`package.json start:prod should be "[VAR=value …] exec node [flags] dist/main.js" (got ${JSON.stringify(script)})`);
  return m;
}

/**
 * The command `npm run start:prod` runs, from package.json, as argv: `['node', ...flags, 'dist/main.js']`
 * (the script is `[VAR=value …] exec node <flags> dist/main.js`; the Dockerfile's CMD must be the same). Lets tests
 * start the compiled build with production's V8 flags without repeating them.
 * @param root the repository root (holds package.json). Throws when the script has another shape.
 */
export function prodCommand(root: string): [string, ...string[]] {
  return startProd(root)[2]!.split(' ') as [string, ...string[]];
}

/**
 * The environment `npm run start:prod` sets before `exec node` (e.g. `{ MALLOC_ARENA_MAX: '2' }`; the Dockerfile's
 * runtime stage must set the same with ENV). Throws like {@link prodCommand}.
 */
export function prodEnv(root: string): Record<string, string> {
  const assignments = startProd(root)[1]!.trim();
  return Object.fromEntries(assignments ? assignments.split(' ').map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]) : []);
}
