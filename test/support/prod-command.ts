import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The command `npm run start:prod` runs, from package.json, as argv: `['node', ...flags, 'dist/main.js']`
 * (the script is `exec node <flags> dist/main.js`; the Dockerfile's CMD must be the same). Lets tests start
 * the compiled build with production's V8 flags without repeating them.
 * @param root the repository root (holds package.json). Throws when the script has another shape.
 */
export function prodCommand(root: string): [string, ...string[]] {
  const script: string | undefined = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.['start:prod'];
  const m = /^exec (node(?: [^ ]+)* dist\/main\.js)$/.exec(script ?? '');
  if (!m) throw new Error(`package.json start:prod should be "exec node [flags] dist/main.js" (got ${JSON.stringify(script)})`);
  return m[1]!.split(' ') as [string, ...string[]];
}
