import { parseArgs as parseNodeArgs } from 'node:util';

/**
 * Benchmark flags: `--name value` or `--name=value`, every one a string (the caller converts), parsed with
 * Node's util.parseArgs. Throws on a flag without a value or a stray positional argument.
 */
export function parseArgs(argv: string[]): Record<string, string> {
  const names = [...new Set(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!))];
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  return parseNodeArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string>;
}
