import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../support/bot-process.js';
import { realClockEnv } from '../support/clock-env.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';

/*
 * The sandbox's Tracker view (issue 21) in Debian's chromium: the visitor moves an issue To Do → In Progress → Done,
 * reassigns it and changes its due date; each change is sent to Preflight as the tracker's signed webhook, and the
 * page lists Preflight's answer. Whether the task follows in the bot is the sync's test, not this one.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// generous: the machine is shared; each step takes well under a second when idle
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });
const CONFIG = `
program: { name: Launch day, timezone: Europe/Berlin, pm: U0PM, channel: C0LAUNCH }
workstreams:
  api:
    name: API
    channel: C0API
    leads: [U0LEAD]
    members: [U0LEAD, U0DEV1]
`;

describe('the sandbox Tracker view in a browser', () => {
  let sandbox: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  let db: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'preflight-sandbox-tracker-test-'));
    writeFileSync(join(dir, 'launch.preflight.yml'), CONFIG);
    const port = await freePort();
    sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', '--config', join(dir, 'launch.preflight.yml'), '--port', String(port)], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SANDBOX_DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), SANDBOX_QUEUE_PREFIX: uniquePrefix('sandbox-tracker') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    sandbox.stdout!.on('data', (d) => (output += d));
    sandbox.stderr!.on('data', (d) => (output += d));
    const end = Date.now() + 60_000;
    // the sandbox prints its address, then the trackers' line (possibly in a later chunk of output)
    while (!/Sandbox: (http:\S+)/.test(output) || !/Trackers: .*\n/.test(output)) {
      if (sandbox.exitCode !== null || Date.now() > end) throw new Error(`the sandbox did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain('Trackers: jira LAUNCH → api, linear ENG → api, github acme/web → api');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: realClockEnv() as Record<string, string> });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`http://127.0.0.1:${port}`);
    await page.locator('body[data-ready="1"]').waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (sandbox?.exitCode === null) {
      process.kill(-sandbox.pid!, 'SIGTERM');
      await new Promise((r) => sandbox.once('exit', r));
    }
    await db?.drop();
  });

  it('moves an issue To Do → In Progress → Done, reassigns it and changes its due date; each change goes to Preflight as a webhook', async () => {
    await page.getByRole('button', { name: /Tracker/ }).click();
    await eventually(() => page.locator('#conv-title').textContent()).toMatch(/^Tracker/);
    await page.getByRole('heading', { name: 'Jira · LAUNCH → tasks of workstream api' }).waitFor();
    await page.getByRole('heading', { name: 'GitHub · acme/web → tasks of workstream api' }).waitFor();
    await page.getByText('None yet: change an issue above.').waitFor();

    // the first issue of LAUNCH that is still to do (the generator's seed is fixed, its statuses vary)
    const statuses = page.getByRole('combobox', { name: /^Status of LAUNCH-\d+$/ });
    const values = await statuses.evaluateAll((els) => els.map((e) => [e.getAttribute('aria-label'), (e as HTMLSelectElement).value]));
    const label = values.find(([, v]) => v === 'To Do')![0]!;
    const ref = label.replace('Status of ', '');
    const hooks = page.locator('.tracker-webhooks li');

    for (const [n, status] of [
      [1, 'In Progress'],
      [2, 'Done'],
    ] as const) {
      await page.getByRole('combobox', { name: label, exact: true }).selectOption(status);
      await eventually(() => hooks.count()).toBe(n);
      await eventually(() => hooks.first().textContent()).toMatch(new RegExp(`^jira ${ref}: Preflight answered HTTP \\d{3}`));
      await eventually(() => page.getByRole('combobox', { name: label, exact: true }).inputValue()).toBe(status);
    }
    // a done issue's title is struck through
    const row = page.locator('tr', { has: page.locator(`[data-ref="${ref}"][data-field="status"]`) });
    await eventually(() => row.getAttribute('class')).toBe('done');

    // someone else than the generated assignee: an unchanged field sends nothing
    const assignee = page.getByRole('combobox', { name: `Assignee of ${ref}`, exact: true });
    const current = await assignee.inputValue();
    const other = (await assignee.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).find((v) => v !== '' && v !== current)!;
    await assignee.selectOption(other);
    await eventually(() => hooks.count()).toBe(3);
    await page.getByLabel(`Due date of ${ref}`, { exact: true }).fill('2031-01-15');
    await eventually(() => hooks.count()).toBe(4);
    // the page keeps the view in its URL: a reload shows the tracker's own state again
    await page.reload();
    await page.locator('body[data-ready="1"]').waitFor();
    await eventually(() => page.getByRole('combobox', { name: `Assignee of ${ref}`, exact: true }).inputValue()).toBe(other);
    expect(other).toMatch(/@sandbox\.example$/); // the sandbox's people, whom Slack's users.lookupByEmail finds
    await eventually(() => page.getByLabel(`Due date of ${ref}`, { exact: true }).inputValue()).toBe('2031-01-15');
    await eventually(() => page.getByRole('combobox', { name: label, exact: true }).inputValue()).toBe('Done');
  });
});
