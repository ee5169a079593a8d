import { describe, expect, it } from 'vitest';
import { type Delivery, deliver } from '../../src/jobs/alert-channels.js';

const delivery: Delivery = {
  connection: 'gh',
  target: { externalId: 'acme/checkout#5', fields: {}, person: { name: 'Raj Patel', identities: [] } },
  message: {
    subject: 'Stalled review',
    text: 'The review of …',
    statusUrl: 'https://baton.example/plans/checkout',
  },
  context: { plan: 'checkout', level: 2 },
};

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as typeof fetch;
  return { calls, services: { connections: { get: () => undefined, all: () => [] }, fetch: fetchImpl } };
}

describe('alert channels', () => {
  it('posts a Slack/Teams-style JSON body to a webhook', async () => {
    const { calls, services } = recordingFetch(() => new Response('ok'));
    const result = await deliver(services, 'webhook:https://hooks.example/services/T1/B2/secret', delivery);
    expect(result).toEqual({ ok: true, ref: 'hooks.example 200' });
    expect(calls[0].init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      text: '*Stalled review*\nThe review of …',
      subject: 'Stalled review',
      statusUrl: 'https://baton.example/plans/checkout',
      plan: 'checkout',
      level: 2,
    });
  });

  it.each([
    ['file:///etc/passwd', 'only http and https'],
    ['gopher://hooks.example/x', 'only http and https'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
  ])('refuses %s without sending anything', async (url, reason) => {
    const { calls, services } = recordingFetch(() => new Response('ok'));
    const result = await deliver(services, `webhook:${url}`, delivery);
    expect(result).toMatchObject({ ok: false, code: 'bad_webhook_url', retry: false });
    expect(!result.ok && result.message).toContain(reason);
    expect(calls).toEqual([]);
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [400, false],
  ])('retries a webhook answering %s: %s, naming only the host', async (status, retry) => {
    const { services } = recordingFetch(() => new Response('no', { status }));
    const result = await deliver(services, 'webhook:https://hooks.example/services/secret', delivery);
    expect(result).toEqual({
      ok: false,
      code: 'webhook_refused',
      message: `hooks.example answered ${status}`,
      retry,
    });
  });

  it('retries a webhook that cannot be reached', async () => {
    const { services } = recordingFetch(() => Promise.reject(new TypeError('fetch failed')));
    const result = await deliver(services, 'webhook:https://hooks.example/services/secret', delivery);
    expect(result).toEqual({
      ok: false,
      code: 'webhook_unreachable',
      message: 'hooks.example could not be reached',
      retry: true,
    });
  });

  it('refuses email without an outlook connection, and tool on a digest', async () => {
    const { services } = recordingFetch(() => new Response('ok'));
    expect(await deliver(services, 'email', delivery)).toMatchObject({
      ok: false,
      code: 'no_connection',
      retry: false,
    });
    expect(await deliver(services, 'tool', { ...delivery, connection: null })).toMatchObject({
      ok: false,
      code: 'no_item',
    });
  });
});
