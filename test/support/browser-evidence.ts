import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

/**
 * What a browser test leaves behind when one of its tests fails, so a failure in CI can be read without
 * re-running it: the page's HTML, a screenshot and a log (the page's console errors and failed requests, the
 * visible dialog's text and the tail of the sandbox process's output), written to `dir` as
 * `FAILED-<test>.{html,png,log}`; the log is also printed on stderr. Registers an `afterEach` in the calling
 * describe block; call it there, once.
 * @param args.page the test file's page (read when a test fails; absent before `beforeAll` made it)
 * @param args.output the sandbox process's stdout and stderr so far
 * @returns `watch(page)`, to call once the page exists: it starts recording the page's console errors.
 */
export function keepEvidenceOnFailure(args: { dir: string; page: () => Page | undefined; output: () => string }): { watch: (page: Page) => void } {
  const pageLog: string[] = [];
  const at = () => new Date().toISOString().slice(11, 23);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const page = args.page();
    const name = `FAILED-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`;
    mkdirSync(args.dir, { recursive: true });
    const lines = [`# ${ctx.task.name}`, `## the page's console errors and failed requests (${pageLog.length})`, ...pageLog.slice(-40)];
    if (page) {
      const dialog = await page
        .locator('#modal-layer')
        .textContent({ timeout: 2_000 })
        .catch((e: Error) => `(not read: ${e.message})`);
      lines.push(`## the modal layer's text`, dialog ?? '(none)');
      const html = await page.content().catch((e: Error) => `(not read: ${e.message})`);
      writeFileSync(join(args.dir, `${name}.html`), html);
      await page.screenshot({ path: join(args.dir, `${name}.png`), timeout: 5_000 }).catch(() => undefined);
    }
    lines.push(`## the sandbox's output (last 80 lines)`, ...args.output().split('\n').slice(-80));
    const text = lines.join('\n');
    writeFileSync(join(args.dir, `${name}.log`), text);
    console.error(`${text}\n(also in ${join(args.dir, name)}.{log,html,png})`);
  });
  return {
    watch(page) {
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') pageLog.push(`${at()} console.${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => pageLog.push(`${at()} page error: ${e.message}`));
      page.on('requestfailed', (r) => pageLog.push(`${at()} request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`));
      page.on('response', (r) => {
        if (r.status() >= 400) pageLog.push(`${at()} HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
    },
  };
}
