import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { driveSubscriptions } from './subscriptions.js';
import { testContext } from './test-support.js';

const API = 'https://drive.test';
const watchAnswer = JSON.parse(
  readFileSync(new URL('./fixtures/channel-watch.json', import.meta.url), 'utf8'),
);
const settings = {
  auth: { accessToken: 'test-token' },
  rootUrl: `${API}/`,
  sharedDrives: ['0ABcdEFghIJklUk9PVA'],
  channelToken: 'drive-channel-token-for-docs-0123',
};

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

describe('Drive changes.watch request (nock)', () => {
  it('asks Drive for a web_hook channel with the token and lifetime, and keeps what Drive answered', async () => {
    const ctx = testContext(settings);
    ctx.setNow(new Date('2024-06-03T09:00:00.000Z'));
    let query: Record<string, string> = {};
    let body: Record<string, unknown> = {};
    nock(API).get('/drive/v3/changes/startPageToken').query(true).reply(200, { startPageToken: '4337' });
    nock(API)
      .post('/drive/v3/changes/watch', (b) => {
        body = b;
        return true;
      })
      .query((q) => {
        query = q as Record<string, string>;
        return true;
      })
      .reply(200, watchAnswer);

    const state = await driveSubscriptions.ensure(ctx, null, 'https://baton.example.com/webhooks/docs');

    expect(query).toMatchObject({
      pageToken: '4337',
      supportsAllDrives: 'true',
      includeItemsFromAllDrives: 'true',
    });
    expect(body).toMatchObject({
      type: 'web_hook',
      address: 'https://baton.example.com/webhooks/docs',
      token: settings.channelToken,
      expiration: String(Date.parse('2024-06-04T09:00:00.000Z')),
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(state).toEqual({
      channelId: watchAnswer.id,
      resourceId: watchAnswer.resourceId,
      expiration: new Date(Number(watchAnswer.expiration)).toISOString(),
      address: 'https://baton.example.com/webhooks/docs',
    });
  });
});
