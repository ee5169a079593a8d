import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDriveClient } from './client.js';
import { driveCall } from './drive-call.js';
import { testContext } from './test-support.js';

const API = 'https://drive.test';
const TOKEN_HOST = 'https://oauth2.googleapis.com';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const keyJson = JSON.stringify({
  type: 'service_account',
  project_id: 'baton-test',
  private_key_id: 'key-1',
  private_key: privateKey,
  client_email: 'baton-sync@baton-test.iam.gserviceaccount.com',
  client_id: '100000000000000000001',
  token_uri: 'https://oauth2.googleapis.com/token',
});

/** Claims of the JWT assertion a service account sends to the token endpoint. */
function claimsOf(body: Record<string, string>): Record<string, unknown> {
  const payload = body.assertion.split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

function formOf(body: unknown): Record<string, string> {
  return typeof body === 'string'
    ? Object.fromEntries(new URLSearchParams(body))
    : (body as Record<string, string>);
}

function expectStartTokenCallWith(accessToken: string) {
  return nock(API)
    .matchHeader('authorization', `Bearer ${accessToken}`)
    .get('/drive/v3/changes/startPageToken')
    .query(true)
    .reply(200, { kind: 'drive#startPageToken', startPageToken: '42' });
}

async function startToken(settings: Record<string, unknown>) {
  const ctx = testContext(settings);
  const client = buildDriveClient(ctx.config);
  const body = await driveCall(ctx, () => client.changes.getStartPageToken({}));
  return { token: body.startPageToken, ctx };
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('Drive auth', () => {
  it('acts as the delegated subject with a service account key given as JSON, asking for the drive scope', async () => {
    let claims: Record<string, unknown> = {};
    nock(TOKEN_HOST)
      .post('/token', (body) => {
        const form = formOf(body);
        claims = claimsOf(form);
        return form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
      })
      .reply(200, { access_token: 'sa-token', expires_in: 3600, token_type: 'Bearer' });
    expectStartTokenCallWith('sa-token');

    const { token } = await startToken({
      auth: { serviceAccount: { keyJson, subject: 'pm@example.com' } },
      rootUrl: `${API}/`,
      folders: ['root'],
    });

    expect(token).toBe('42');
    expect(claims).toMatchObject({
      iss: 'baton-sync@baton-test.iam.gserviceaccount.com',
      sub: 'pm@example.com',
      scope: 'https://www.googleapis.com/auth/drive',
    });
  });

  it('reads the key from a file path and asks only for drive.readonly when comment alerts are off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-drive-'));
    const path = join(dir, 'key.json');
    writeFileSync(path, keyJson);
    let scope: unknown;
    nock(TOKEN_HOST)
      .post('/token', (body) => {
        scope = claimsOf(formOf(body)).scope;
        return true;
      })
      .reply(200, { access_token: 'sa-token-2', expires_in: 3600, token_type: 'Bearer' });
    expectStartTokenCallWith('sa-token-2');

    await startToken({
      auth: { serviceAccount: { keyJson: path, subject: 'pm@example.com' } },
      rootUrl: `${API}/`,
      folders: ['root'],
      commentAlerts: false,
    });

    expect(scope).toBe('https://www.googleapis.com/auth/drive.readonly');
  });

  it('exchanges an OAuth refresh token for an access token', async () => {
    let form: Record<string, string> = {};
    nock(TOKEN_HOST)
      .post('/token', (body) => {
        form = formOf(body);
        return true;
      })
      .reply(200, { access_token: 'user-token', expires_in: 3600, token_type: 'Bearer' });
    expectStartTokenCallWith('user-token');

    await startToken({
      auth: { oauth: { clientId: 'client-1', clientSecret: 'shh', refreshToken: 'refresh-1' } },
      rootUrl: `${API}/`,
      folders: ['root'],
    });

    expect(form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'client-1',
    });
  });

  it('leaves a failed token request to the kit pacer instead of retrying it inside the auth library', async () => {
    nock(TOKEN_HOST).post('/token').reply(503, { error: 'backend_error' });
    nock(TOKEN_HOST)
      .post('/token')
      .reply(200, { access_token: 'late-token', expires_in: 3600, token_type: 'Bearer' });
    expectStartTokenCallWith('late-token');

    const { token, ctx } = await startToken({
      auth: { oauth: { clientId: 'client-1', clientSecret: 'shh', refreshToken: 'refresh-1' } },
      rootUrl: `${API}/`,
      folders: ['root'],
    });

    expect(token).toBe('42');
    expect(ctx.sleeps).toHaveLength(1);
  });

  it('sends a static access token as is (simulator and tests)', async () => {
    expectStartTokenCallWith('static-token');
    const { token } = await startToken({
      auth: { accessToken: 'static-token' },
      rootUrl: `${API}/`,
      folders: ['root'],
    });
    expect(token).toBe('42');
  });
});
