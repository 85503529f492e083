import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * manifest.yml against Slack's own manifest JSON Schema (vendored in test/fixtures/slack/manifest-schema,
 * see test/fixtures/slack/README.md), and against what the code actually registers.
 */

// ajv is CommonJS: under NodeNext its default import is the module object; `.default` is the class.
const Ajv = AjvModule.default;

const root = fileURLToPath(new URL('../../', import.meta.url));
const schemaDir = join(root, 'test/fixtures/slack/manifest-schema');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(schemaDir, path), 'utf8'));

/** The root schema `$ref`s the per-version schemas by these URLs; we serve them from the vendored copies. */
const VERSION_SCHEMAS = {
  'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json': 'schemas/manifest.schema.1.0.0.json',
  'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json': 'schemas/manifest.schema.2.0.0.json',
};

function compileManifestSchema(): ValidateFunction {
  // draft-07 (Ajv's default). strict: false because the schema uses keywords Ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // `regex` is the schema's non-standard spelling of `pattern` (display_information.background_color):
  // enforce it rather than silently ignore it, as Slack does when it checks a manifest.
  ajv.addKeyword({ keyword: 'regex', type: 'string', schemaType: 'string', errors: false, validate: (pattern: string, data: string) => new RegExp(pattern).test(data) });
  ajv.addFormat('uri', (v: string) => URL.canParse(v));
  for (const [url, file] of Object.entries(VERSION_SCHEMAS)) ajv.addSchema(readJson(file) as object, url);
  return ajv.compile(readJson('manifest.schema.json') as object);
}

interface Manifest {
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    slash_commands?: { command: string; url?: string; usage_hint?: string; should_escape?: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  functions?: Record<string, { title: string; input_parameters: Record<string, { type: string; is_required?: boolean }>; output_parameters: Record<string, { type: string; is_required?: boolean }> }>;
  settings: {
    function_runtime?: string;
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

const manifestText = readFileSync(join(root, 'manifest.yml'), 'utf8');
const manifest = parse(manifestText) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const srcText = (dir: string) =>
  sourceFiles(join(root, dir))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

describe('manifest.yml', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = compileManifestSchema();
  });
  const errorsOf = () => JSON.stringify(validate.errors, null, 2);

  describe("Slack's manifest schema (vendored)", () => {
    it.each(['v1', 'v2'])('accepts the upstream %s valid test manifest', (v) => {
      expect(validate(readJson(`tests/manifests/${v}/manifest.valid.json`)), errorsOf()).toBe(true);
    });

    it.each(['v1', 'v2'])('rejects the upstream %s invalid test manifest', (v) => {
      expect(validate(readJson(`tests/manifests/${v}/manifest.invalid.json`))).toBe(false);
    });

    it('enforces the non-standard `regex` keyword (background_color)', () => {
      const bad = structuredClone(manifest) as unknown as { display_information: { background_color: string } };
      bad.display_information.background_color = 'navy';
      expect(validate(bad)).toBe(false);
    });
  });

  it('is a valid Slack app manifest (major_version 1)', () => {
    expect((parse(manifestText) as { _metadata: { major_version: number } })._metadata.major_version).toBe(1);
    expect(validate(manifest), errorsOf()).toBe(true);
  });

  it('fails validation when a key Slack does not know is added', () => {
    const bad = structuredClone(manifest) as unknown as { settings: Record<string, unknown> };
    bad.settings.socket_mode = true;
    expect(validate(bad)).toBe(false);
  });

  it('declares every slash command the code registers', () => {
    const registered = [...srcText('src/slack/commands').matchAll(/app\.command\(\s*['"`](\/[^'"`]+)['"`]/g)].map((m) => m[1]);
    expect(registered.length, 'no app.command(...) found in src/slack/commands: did the pattern or folder change?').toBeGreaterThan(0);
    const declared = (manifest.features.slash_commands ?? []).map((c) => c.command);
    for (const command of registered) expect(declared, `${command} is registered in code but missing from manifest.yml`).toContain(command);
    // and nothing declared that no code handles (Slack would show users a command that times out)
    for (const command of declared) expect(registered, `${command} is in manifest.yml but no code registers it`).toContain(command);
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
  });

  it('/standup has the usage hint of the command parser and is escaped (delegate:@ben comes as <@U…|ben>)', () => {
    const standup = manifest.features.slash_commands?.find((c) => c.command === '/standup');
    expect(standup?.usage_hint).toBe('[workstream] | skip | ooo <date> [delegate:@name] | back | start <workstream> | help');
    expect(standup?.should_escape).toBe(true);
  });

  it('receives DM replies: message.im event, im:history scope, writable Messages tab', () => {
    expect(manifest.settings.event_subscriptions?.bot_events).toContain('message.im');
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['im:history', 'chat:write']));
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });

  it('has the scopes the exactly-once lookup calls need (conversations.history / .replies / .open in src/services/delivery)', () => {
    const services = srcText('src/services');
    expect(services, 'the lookup is gone from src/services: update this test and the manifest').toMatch(/conversations\.(history|replies)\(/);
    // docs.slack.dev/reference/methods/conversations.history and .replies: the *:history scope of each kind of
    // conversation searched (public and private channels, DMs); conversations.open: im:write
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'im:history']));
    if (/conversations\.open\(/.test(services)) expect(manifest.oauth_config.scopes.bot).toContain('im:write');
    // conversations.join (to search a public channel it posts in without being a member): channels:join
    if (/conversations\.join\(/.test(services)) expect(manifest.oauth_config.scopes.bot).toContain('channels:join');
  });

  it('enables interactivity, which the code relies on (app.action / app.view)', () => {
    const slack = srcText('src/slack');
    expect(slack).toMatch(/app\.(action|view)\s*(<[^>]*>)?\(/);
    expect(manifest.settings.interactivity?.is_enabled).toBe(true);
  });

  it('sends every request to POST /slack/events in HTTP mode (the receiver endpoint in src/slack/app.ts)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(srcText('src/slack')).toContain("endpoints: '/slack/events'");
    const urls = [manifest.settings.event_subscriptions?.request_url, manifest.settings.interactivity?.request_url, ...(manifest.features.slash_commands ?? []).map((c) => c.url)];
    for (const url of urls) expect(url && new URL(url).pathname).toBe('/slack/events');
  });
});

describe('manifest.socket.yml', () => {
  const socketText = readFileSync(join(root, 'manifest.socket.yml'), 'utf8');
  const socket = parse(socketText) as Manifest;
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = compileManifestSchema();
  });

  it("is a valid Slack app manifest (Slack's schema, major_version 1)", () => {
    expect((socket as unknown as { _metadata: { major_version: number } })._metadata.major_version).toBe(1);
    expect(validate(socket), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is Socket Mode with no request URL anywhere (Slack checks URLs on save, before Preflight can run)', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toMatch(/https?:\/\//);
    expect(socket.settings.event_subscriptions?.request_url).toBeUndefined();
    expect(socket.settings.interactivity?.request_url).toBeUndefined();
    for (const c of socket.features.slash_commands ?? []) expect(c.url, c.command).toBeUndefined();
  });

  it('is manifest.yml apart from that: same commands, scopes, events and settings', () => {
    const withoutUrls = structuredClone(manifest);
    for (const c of withoutUrls.features.slash_commands ?? []) delete c.url;
    delete withoutUrls.settings.event_subscriptions?.request_url;
    delete withoutUrls.settings.interactivity?.request_url;
    withoutUrls.settings.socket_mode_enabled = true;
    expect(socket).toEqual(withoutUrls);
  });
});

describe('people by email', () => {
  it('both manifests grant users:read.email (users.lookupByEmail) with users:read', () => {
    // docs.slack.dev/reference/methods/users.lookupByEmail: "Requires users:read.email"
    expect(srcText('src/services'), 'the email lookup is gone from src/services: update this test and the manifests').toMatch(/users\.lookupByEmail\(/);
    for (const file of ['manifest.yml', 'manifest.socket.yml']) {
      const m = parse(readFileSync(join(root, file), 'utf8')) as Manifest;
      expect(m.oauth_config.scopes.bot, file).toEqual(expect.arrayContaining(['users:read', 'users:read.email']));
    }
  });
});

describe('Workflow Builder steps (issue 24)', () => {
  const slackFunctions = srcText('src/slack/functions');
  const registered = [...slackFunctions.matchAll(/callbackId:\s*['"`]([a-z_]+)['"`]/g)].map((m) => m[1]!);
  const stepSources = sourceFiles(join(root, 'src/slack/functions')).map((f) => readFileSync(f, 'utf8'));

  it("registers the steps with Bolt's app.function, and each step file declares its callback id", () => {
    expect(slackFunctions, 'app.function(...) is gone from src/slack/functions: update this test').toMatch(/app\.function\(/);
    expect(registered.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of ['manifest.yml', 'manifest.socket.yml']) {
    const m = parse(readFileSync(join(root, file), 'utf8')) as Manifest;
    it(`${file}: every step the code registers is declared under functions:, and nothing else is (runtime remote)`, () => {
      expect(Object.keys(m.functions ?? {}).sort()).toEqual([...registered].sort());
      // docs.slack.dev/tools/bolt-js/concepts/custom-steps: a Bolt app runs its own steps
      expect(m.settings.function_runtime).toBe('remote');
    });

    it(`${file}: every input a step reads and every output it gives is declared with that name`, () => {
      for (const [id, fn] of Object.entries(m.functions ?? {})) {
        const source = stepSources.find((s) => s.includes(`callbackId: '${id}'`)) ?? '';
        const inputsRead = [...source.matchAll(/(?:textInput|percentInput)\(inputs, '([a-z_]+)'\)/g)].map((x) => x[1]!);
        for (const name of inputsRead) expect(Object.keys(fn.input_parameters), `${id} reads input ${name}`).toContain(name);
        const required = Object.entries(fn.output_parameters)
          .filter(([, p]) => p.is_required)
          .map(([n]) => n);
        for (const name of required) expect(source, `${id} must always output ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
        // a step that checks who acts reads the runner from a user_context input
        if (/NO_RUNNER/.test(source)) expect(fn.input_parameters.user_context, id).toMatchObject({ type: 'slack#/types/user_context', is_required: true });
      }
    });
  }
});
