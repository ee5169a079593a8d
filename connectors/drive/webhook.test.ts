import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StoredDelivery, WebhookRequest } from '../../src/connectors/kit/index.js';
import { testContext } from './test-support.js';
import { driveWebhook } from './webhook.js';

const TOKEN = 'drive-channel-token-for-docs-0123';
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/notification-change.json', import.meta.url), 'utf8'),
).headers as Record<string, string>;
const ctx = testContext({ auth: { accessToken: 't' }, folders: ['root'], channelToken: TOKEN });

const request = (headers: Record<string, string | undefined>): WebhookRequest => ({
  headers,
  query: {},
  rawBody: Buffer.alloc(0),
});
const stored = (event: string): StoredDelivery => ({
  deliveryId: `c:${event}`,
  event,
  headers: {},
  body: Buffer.alloc(0),
  receivedAt: new Date(),
});

describe('Drive push notification verification', () => {
  it('accepts a change notification carrying the channel token, keyed by channel and message number', () => {
    expect(driveWebhook.verify(request(recorded), ctx)).toEqual({
      ok: true,
      deliveryId: '4ba78bf0-6a47-11e2-bcfd-0800200c9a66:10',
      event: 'change',
    });
  });

  it('reads the X-Goog headers whatever their case', () => {
    const upper = Object.fromEntries(
      Object.entries(recorded).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), v]),
    );
    expect(driveWebhook.verify(request(upper), ctx).ok).toBe(true);
  });

  it.each([
    ['a wrong channel token', { ...recorded, 'x-goog-channel-token': `${TOKEN}0` }, 'bad_token'],
    [
      'a token that is a prefix of the right one',
      { ...recorded, 'x-goog-channel-token': TOKEN.slice(0, 8) },
      'bad_token',
    ],
    ['no channel token', { ...recorded, 'x-goog-channel-token': undefined }, 'missing_token'],
  ])('refuses a notification with %s (401, nothing stored)', (_what, headers, code) => {
    expect(driveWebhook.verify(request(headers), ctx)).toMatchObject({ ok: false, status: 401, code });
  });

  it('refuses every notification when the connection has no channel token', () => {
    const noToken = testContext({ auth: { accessToken: 't' }, folders: ['root'] });
    expect(driveWebhook.verify(request(recorded), noToken)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 to a request with the right token but no message number', () => {
    const headers = { ...recorded, 'x-goog-message-number': undefined };
    expect(driveWebhook.verify(request(headers), ctx)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('Drive push notification parsing', () => {
  it('turns a change notification into a pull', () => {
    expect(driveWebhook.parse(stored('change'), ctx)).toEqual({ kind: 'pull' });
  });

  it('ignores the sync message a new channel starts with', () => {
    expect(driveWebhook.parse(stored('sync'), ctx)).toMatchObject({ kind: 'ignored' });
  });
});
