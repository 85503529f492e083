import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { JiraSourceConfig } from '../../../../../src/config/schema/tasks-from.js';
import { jiraSourceSchema } from '../../../../../src/config/schema/tasks-from.js';

/*
 * Shared by the Jira adapter's tests: the recorded fixtures (test/fixtures/trackers/jira/, see its README) and a
 * source config parsed through the real schema (so defaults apply as in production).
 */

export const SITE = 'https://acme.atlassian.net';
export const DC_SITE = 'https://jira.acme.internal';

/** A parsed fixture: JSON the tests reshape (drop a field, change a status), so loosely typed on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: recorded JSON that tests mutate field by field
export type Fixture = any;

/** A fixture file, parsed fresh (tests may mutate it). */
export function fixture<T = Fixture>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../../fixtures/trackers/jira/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fixture file's bytes, as a webhook delivers them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../../../fixtures/trackers/jira/${name}`, import.meta.url));
}

/** A `jira:` source as the config schema parses it. */
export function jiraSource(over: Partial<Record<keyof JiraSourceConfig, unknown>> = {}): JiraSourceConfig {
  return jiraSourceSchema.parse({ jira: { site: SITE, jql: 'project = LAUNCH AND labels = omega', token_env: 'JIRA_TOKEN', email_env: 'JIRA_EMAIL', ...over } }).jira;
}

export const ENV = { JIRA_TOKEN: 'tok-123', JIRA_EMAIL: 'bot@acme.com' } as NodeJS.ProcessEnv;

/** nock with no live network for the file; pending interceptors are cleared after each test. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
}

/** issue-cloud.json as issue number `n` of LAUNCH (its fields otherwise as recorded). */
export function cloudIssue(n: number): Fixture {
  const issue = fixture('issue-cloud.json');
  return { ...issue, id: String(10_000 + n), key: `LAUNCH-${n}`, self: `${SITE}/rest/api/3/issue/${10_000 + n}` };
}
