import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../support/bot-process.js';
import { fakeClockEnv, realClockEnv } from '../support/clock-env.js';
import { keepEvidenceOnFailure } from '../support/browser-evidence.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { EVERY_DAY, standupTimeAwayFromNow } from '../support/standup-time.js';

/*
 * The sandbox in a real browser (Debian's chromium, driven by playwright-core; .ci/run installs the package):
 * `npm run sandbox` with a small launch, then the scenario as people would click through it.
 * Screenshots of each step go to test-artifacts/sandbox/launch-day/ (ignored by git). The README's walkthrough, on
 * the default example, is readme-walkthrough.test.ts.
 * The scheduled standup is never due while the test runs (standupTimeAwayFromNow): the lead starts it.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Timing tolerance: each step takes well under a second on an idle 2-core box; waits allow 30 s, and the page's
// stand-in for Slack gives the bot 15 s (not Slack's 3 s) to answer a request, for a box loaded by other test files.
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });
const SHOTS = join(process.cwd(), 'test-artifacts', 'sandbox', 'launch-day');
const CONFIG = `
program: { name: Launch day, timezone: Europe/Berlin, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: ${EVERY_DAY} }
scheduler: { tick: 1s }
standup: { at: "${standupTimeAwayFromNow('Europe/Berlin')}", remind_after: 10m, close_after: 20m }
workstreams:
  api:
    name: API
    channel: C0API
    blockers_channel: C0APIBLK
    leads: [U0LEAD]
    members: [U0LEAD, U0DEV1, U0DEV2]
    checklist: [Load test passed]
escalation:
  ladders:
    P0: [{ after: 3s, notify: lead }, { after: 1h, notify: pm }]
gates:
  - { id: security, name: Security review, sign_off: [U0PM] }
`;

describe('the sandbox in a browser', () => {
  let sandbox: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  let db: { url: string; drop: () => Promise<void> };
  let url: string;
  let step = 0;
  const evidence = keepEvidenceOnFailure({ dir: SHOTS, page: () => page, output: () => output });
  const shot = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: false });
  };
  // the page marks the conversation aria-busy until the one chosen is shown
  const shown = () => page.locator('#conversation:not([aria-busy])').waitFor();
  const as = async (name: string) => {
    await page.getByLabel('You are').selectOption({ label: name });
    await shown();
  };
  const open = async (nav: string) => {
    await page.getByRole('button', { name: nav, exact: true }).click();
    await shown();
  };
  const send = async (text: string) => {
    await page.getByLabel('Message or slash command').fill(text);
    await page.getByLabel('Message or slash command').press('Enter');
  };
  const conversation = () => page.locator('#conversation');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'preflight-sandbox-test-'));
    writeFileSync(join(dir, 'launch.preflight.yml'), CONFIG);
    const port = await freePort();
    sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts', '--config', join(dir, 'launch.preflight.yml'), '--port', String(port), '--verbose'], {
      cwd: process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        SANDBOX_DATABASE_URL: db.url,
        REDIS_URL: inject('redisUrl'),
        SANDBOX_QUEUE_PREFIX: uniquePrefix('sandbox'),
        SANDBOX_ACK_TIMEOUT_MS: '15000',
        ...fakeClockEnv(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    sandbox.stdout!.on('data', (d) => (output += d));
    sandbox.stderr!.on('data', (d) => (output += d));
    const end = Date.now() + 60_000;
    while (!/Sandbox: (http:\S+)/.test(output)) {
      if (sandbox.exitCode !== null || Date.now() > end) throw new Error(`the sandbox did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain(`Sandbox: http://localhost:${port}`);
    url = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: realClockEnv() as Record<string, string> });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    evidence.watch(page);
    await page.goto(url);
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

  it('a lead starts the standup; one member answers by the modal, another by DM replies; the report updates in place', async () => {
    await as('API lead');
    await open('# api');
    await send('/standup start api');
    await eventually(() => conversation().textContent()).toContain("Started API's standup");
    await eventually(() => conversation().locator('article.message:not(.ephemeral)').count()).toBe(1);
    await eventually(() => conversation().textContent()).toContain('0/3');
    await shot('lead-started-standup');

    await as('API dev 1');
    await open('💬 Your DM with Preflight');
    await page.getByRole('button', { name: /Open the form/ }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('What did you complete yesterday?').fill('Finished the *rate limiter*');
    await modal.getByLabel('What are you working on today?').fill('Load tests');
    await modal.getByLabel('Any blockers? (or "none")').fill('none');
    await modal.getByLabel('Progress on your current task, in %?').fill('60');
    await modal.getByLabel('Risk flag: green, yellow or red?').selectOption('yellow');
    await shot('member-answers-in-modal');
    await modal.getByRole('button', { name: 'Submit' }).click();
    // the form turns into the confirmation, with Done and no Submit
    await eventually(() => modal.textContent()).toContain('Thanks! Your answer is in the');
    expect(await modal.getByRole('button', { name: 'Submit' }).count()).toBe(0);
    await shot('member-answer-confirmed-in-modal');
    await modal.getByRole('button', { name: 'Done' }).click();
    await eventually(() => page.locator('form.modal').count()).toBe(0);

    await as('API lead');
    await open('# api');
    await eventually(() => conversation().textContent()).toContain('1/3');
    expect(await conversation().locator('article.message:not(.ephemeral)').count()).toBe(1); // updated in place
    expect(await conversation().locator('article.message:not(.ephemeral)').first().textContent()).toContain('(edited)');
    await shot('report-updated-in-place');

    // another member answers by replying in the DM, one question at a time (message.im events)
    await as('API dev 2');
    await open('💬 Your DM with Preflight');
    for (const [reply, next] of [
      ['Reviewed the schema', '2/5'],
      ['Pagination', '3/5'],
      ['none', '4/5'],
      ['50', '5/5'],
    ]) {
      await send(reply!);
      await eventually(() => conversation().textContent()).toContain(next!);
    }
    await send('green');
    await as('API lead');
    await open('# api');
    await eventually(() => conversation().textContent()).toContain('2/3');
  });

  it('a P0 blocker escalates to the lead by DM (and shows on their App Home); the lead resolves it; its thread has the timeline', async () => {
    await as('API dev 2');
    await open('# api');
    await send('/blocker Staging DB is down P0');
    await eventually(() => conversation().textContent()).toMatch(/B-\d+/);
    await as('API lead');
    await open('💬 Your DM with Preflight');
    await eventually(() => conversation().textContent()).toContain('Staging DB is down');
    await shot('lead-gets-escalation-dm');
    await open('🏠 App Home');
    await eventually(() => conversation().textContent()).toMatch(/B-\d+[\s\S]*Staging DB is down/);
    await open('💬 Your DM with Preflight');
    const dm = conversation().locator('article.message', { hasText: 'Staging DB is down' }).last();
    await dm.getByRole('button', { name: /Resolve/ }).click();
    const confirm = page.locator('dialog[open]');
    if (await confirm.count()) await confirm.getByRole('button').last().click();
    await open('# api-blockers');
    await eventually(() => conversation().textContent()).toContain('Resolved by @API lead');
    // the blocker's thread: its timeline (overdue tracker tasks raise blockers of their own in this channel)
    await conversation()
      .locator('article.message', { hasText: 'Staging DB is down' })
      .getByRole('button', { name: /\d+ repl/ })
      .click();
    await eventually(() => page.locator('#thread').textContent()).toMatch(/Escalated to @API lead[\s\S]*Resolved by @API lead/);
    await shot('blocker-resolved-with-thread');
    await page.getByRole('button', { name: 'Close thread' }).click();
  });

  it('/gonogo posts the summary and the PM signs the gate with its button', async () => {
    await as('Program manager');
    await open('# launch-day');
    await send('/gonogo');
    await eventually(() => conversation().textContent()).toContain('Security review');
    await shot('gonogo-summary');
    await conversation()
      .getByRole('button', { name: /Sign off/ })
      .first()
      .click();
    const confirm = page.locator('dialog[open]');
    if (await confirm.count()) await confirm.getByRole('button').last().click();
    await eventually(() => conversation().textContent()).toMatch(/signed off/i);
    await send('/gonogo');
    await eventually(() => conversation().locator('article.message:not(.ephemeral)').count()).toBe(2);
    expect(await conversation().locator('article.message:not(.ephemeral)').last().textContent()).toMatch(/Security review[\s\S]*(passed|signed)/i);
    await shot('gate-signed-off');
  });

  it('"Run a workflow step" (issue 24): a member may not start the check-in; the PM gets the verdict and its summary is posted', async () => {
    await as('API dev 1');
    await page.getByRole('button', { name: 'Run a workflow step' }).click();
    const dialog = page.locator('#step-dialog');
    await dialog.getByLabel('Step').selectOption({ label: 'Start a check-in' });
    await dialog.getByLabel('Workstream (required)').fill('api');
    await dialog.getByRole('button', { name: 'Run' }).click();
    await eventually(() => dialog.locator('#step-result').textContent()).toBe("❌ The step failed: Only API's leads or the PM can start its standup: @API lead, @Program manager.");
    await shot('workflow-step-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await as('Program manager');
    await page.getByRole('button', { name: 'Run a workflow step' }).click();
    await dialog.getByLabel('Step').selectOption({ label: 'Get the go/no-go verdict' });
    await dialog.getByRole('button', { name: 'Run' }).click();
    await eventually(() => dialog.locator('#step-result').textContent()).toMatch(
      /^✅ Completed\. Outputs: verdict = (GO|CONDITIONAL GO|NO-GO); percent = \d+; reasons = .*; permalink = https:\/\/slack\.com\/archives\/C0LAUNCH\//,
    );
    await shot('workflow-step-verdict');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await open('# launch-day');
    await eventually(() => conversation().locator('article.message:not(.ephemeral)').count()).toBe(3);
  });

  it('what a person types in a form stays while others post (the page re-reads its screen on every change)', async () => {
    await as('API dev 2');
    await open('# api');
    await send('/blocker');
    const form = page.getByRole('dialog', { name: 'Raise a blocker' });
    await form.getByLabel('What blocks you?').fill('Staging certificate expired');
    // the lead posts in the channel behind the form: the page hears of the change and reads its screen again
    const posted = await page.evaluate(() =>
      fetch('/api/compose', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'U0LEAD', conv: 'C0API', text: 'Status in ten minutes' }) }).then(
        (r) => r.status,
      ),
    );
    expect(posted).toBe(200);
    await eventually(() => conversation().textContent()).toContain('Status in ten minutes');
    expect(await form.getByLabel('What blocks you?').inputValue()).toBe('Staging certificate expired');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => page.getByRole('dialog').count()).toBe(0);
  });
});
