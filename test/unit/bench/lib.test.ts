import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseArgs } from '../../../bench/lib.js';

const root = resolve(import.meta.dirname, '../../..');

/** The error parseArgs throws for `argv`, or null. */
function failure(argv: string[], booleans?: ReadonlySet<string>): BenchArgsError | null {
  try {
    if (booleans) parseArgs(argv, booleans);
    else parseArgs(argv);
    return null;
  } catch (err) {
    return err as BenchArgsError;
  }
}

describe('bench/lib.ts parseArgs', () => {
  it('reads every flag as a string, `--name value` or `--name=value`, as before', () => {
    expect(parseArgs(['--people', '60', '--seed=3', '--json', 'out.json'])).toEqual({ people: '60', seed: '3', json: 'out.json' });
    expect(parseArgs([])).toEqual({});
  });

  it('reads the names it is given as booleans, wherever they stand, and -h as --help', () => {
    const booleans = new Set(['skip-build', 'help']);
    expect(parseArgs(['--skip-build', '--people', '60'], booleans)).toEqual({ 'skip-build': true, people: '60' });
    expect(parseArgs(['--people', '60', '--skip-build', '--json', 'out.json'], booleans)).toEqual({ people: '60', 'skip-build': true, json: 'out.json' });
    expect(parseArgs(['-h'], booleans)).toEqual({ help: true });
  });

  it('a string flag without its value is one line naming the flag', () => {
    for (const argv of [['--json'], ['--json', '--people', '60'], ['--people', '60', '--json', '-h']]) {
      const err = failure(argv, new Set(['help']));
      expect(err).toBeInstanceOf(BenchArgsError);
      expect(err?.message).toBe('--json takes a value');
      expect(err?.flag).toBe('json');
    }
  });

  it('a boolean given a value, a stray word or an unknown short flag is one line', () => {
    const booleans = new Set(['skip-build']);
    expect(failure(['--skip-build=yes'], booleans)).toMatchObject({ flag: 'skip-build', message: "Option '--skip-build' does not take an argument" });
    const stray = failure(['--skip-build', '4'], booleans);
    expect(stray).toMatchObject({ flag: null });
    expect(stray?.message).toContain("Unexpected argument '4'");
    expect(failure(['-x'])?.message.split('\n')).toHaveLength(1);
  });
});

/** `npx tsx bench/launch-day.ts ...args`: only its flag handling, which exits before any build, database or Redis. */
function launchDay(args: string[]) {
  return spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/launch-day.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

// each run starts a tsx process of its own: seconds on a loaded 2-core box
describe('npm run bench:launch-day flags', { timeout: 120_000 }, () => {
  it('--help (and -h) prints every flag with its default and exits 0; the README row names them all', () => {
    const help = launchDay(['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    const flags = [...help.stdout.matchAll(/^ {2}(?:-h, )?--([a-z-]+)/gm)].map((m) => m[1]!);
    expect(flags).toEqual([
      'people',
      'seed',
      'slot-min',
      'slots',
      'post-cap',
      'latency-ms',
      'answer-pct',
      'form-pct',
      'replicas',
      'chaos',
      'chaos-kill-every-s',
      'chaos-error-pct',
      'drain-max-s',
      'skip-build',
      'json',
      'help',
    ]);
    for (const line of help.stdout.split('\n').filter((l) => /^ {2}-/.test(l))) expect(line).toMatch(/\(default: [^)]+\)$/);
    expect(launchDay(['-h']).stdout).toBe(help.stdout);

    const row = readFileSync(join(root, 'README.md'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('| `npm run bench:launch-day'));
    for (const f of flags) expect(row, `README's bench:launch-day row lacks --${f}`).toContain(`--${f}`);
  });

  it('--json without a file path is one line and exit code 2, also before another flag', () => {
    for (const args of [['--json'], ['--json', '--skip-build']]) {
      const r = launchDay(args);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('bench/launch-day.ts: --json takes a file path (--help lists the flags)\n');
      expect(r.status).toBe(2);
    }
  });
});
