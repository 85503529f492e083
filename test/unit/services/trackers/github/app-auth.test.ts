import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrackerAuthError } from '../../../../../src/services/trackers/adapter.js';
import { createGithubAdapter } from '../../../../../src/services/trackers/github/index.js';
import { API, fixture, githubSource, thrown } from './fixtures.js';

/*
 * The App path has its own file on purpose: after nock 15 has answered a fetch with replyWithError (faults.test.ts's
 * network failure), node:crypto's createPrivateKey now and then refuses a freshly generated, valid PEM
 * ("asn1 encoding routines::too long"), reproduced with nock and fetch alone, no Preflight code. A file of its own
 * gets a fresh worker.
 */

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('GitHub App authentication', () => {
  const appSource = githubSource({ repo: 'acme/launch', app: { app_id_env: 'GH_APP_ID', private_key_env: 'GH_APP_KEY', installation_id: 123 } });
  let appEnv: NodeJS.ProcessEnv;
  beforeAll(() => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    // the key as it often sits in an env file: one line with \n escapes
    appEnv = { GH_APP_ID: '1', GH_APP_KEY: privateKey.replace(/\n/g, '\\n') };
  });

  it('requests an installation token with the app JWT, then calls the API with it', async () => {
    let jwt = '';
    const token = nock(API)
      .post('/app/installations/123/access_tokens')
      .matchHeader('authorization', (value: string | null) => {
        jwt = value ?? '';
        return true;
      })
      .reply(201, { ...fixture('installation-token.json'), expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    const repo = nock(API).get('/repos/acme/launch').matchHeader('authorization', 'token ghs_16C7e42F292c6912E7710c838347Ae178B4a').reply(200, { id: 1296269, full_name: 'acme/launch' });

    await createGithubAdapter(appSource, appEnv).checkAuth();

    token.done();
    repo.done();
    const [, payload] = jwt.replace(/^bearer /i, '').split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString()).iss).toBe('1');
  });

  it('a refused app is a TrackerAuthError naming both variables', async () => {
    nock(API).post('/app/installations/123/access_tokens').reply(401, { message: 'A JSON web token could not be decoded' });
    const err = await thrown(createGithubAdapter(appSource, appEnv).checkAuth());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.envVar).toBe('GH_APP_ID / GH_APP_KEY');
  });

  it('a private key that is not a PEM is a TrackerAuthError naming its variable', async () => {
    const err = await thrown(createGithubAdapter(appSource, { GH_APP_ID: '1', GH_APP_KEY: 'not a key' }).checkAuth());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.envVar).toBe('GH_APP_KEY');
    expect(err.message).toContain('private key cannot be read');
  });

  it('a missing private key names its variable', async () => {
    const err = await thrown(createGithubAdapter(appSource, { GH_APP_ID: '1' }).checkAuth());
    expect(err).toBeInstanceOf(TrackerAuthError);
    expect(err.envVar).toBe('GH_APP_KEY');
  });
});
