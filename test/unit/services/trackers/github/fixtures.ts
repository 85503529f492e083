import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { GithubSourceConfig } from '../../../../../src/config/schema/tasks-from.js';
import { githubSourceSchema } from '../../../../../src/config/schema/tasks-from.js';

/** Test helpers: GitHub's documented responses from test/fixtures/trackers/github/ (see its README.md). */

const dir = fileURLToPath(new URL('../../../../fixtures/trackers/github/', import.meta.url));

/** A fresh copy of a fixture file. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(`${dir}${name}`, 'utf8')) as T;
}

/** The documented issue, as issue `number` of acme/launch, with `over` applied. */
export function issueRow(number: number, over: Record<string, unknown> = {}): any {
  const issue = fixture('issue.json');
  return {
    ...issue,
    id: number,
    node_id: `I_node_${number}`,
    number,
    title: `Task ${number}`,
    url: `https://api.github.com/repos/acme/launch/issues/${number}`,
    html_url: `https://github.com/acme/launch/issues/${number}`,
    ...over,
  };
}

/** A `github:` source through the real config schema (defaults applied). */
export function githubSource(raw: Record<string, unknown>): GithubSourceConfig {
  return githubSourceSchema.parse({ github: raw }).github;
}

export const API = 'https://api.github.com';
export const ENV = { GH_TOKEN: 'github_pat_11AAAAAAA0_fake' } as NodeJS.ProcessEnv;

/** What a call threw (the test fails when it resolved), for asserting on the error's class and fields. */
export async function thrown(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail('expected the call to throw'),
    (err: unknown) => err,
  );
}
