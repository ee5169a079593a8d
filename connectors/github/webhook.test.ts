import { sign } from '@octokit/webhooks-methods';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../src/connectors/kit/index.js';
import { createHttpPacer } from '../../src/connectors/kit/index.js';
import { fixture, fixtureText, githubContext, SECRET, storedDelivery } from './test-support.js';
import { githubWebhook } from './webhook.js';

const body = fixtureText('webhooks/issues.opened.json');

/** A delivery as GitHub sends it, signed by the official signer (@octokit/webhooks-methods). */
async function delivery(
  text: string | Buffer,
  { secret = SECRET, event = 'issues', headers = {} as Record<string, string | undefined> } = {},
): Promise<WebhookRequest> {
  const raw = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': await sign(secret, raw.toString('utf8')),
      ...headers,
    },
    query: {},
    rawBody: raw,
  };
}

describe('verifying GitHub deliveries', () => {
  const ctx = githubContext({ previousWebhookSecret: 'the-old-secret' });

  it('accepts a delivery signed with the webhook secret and names its id and event', async () => {
    expect(githubWebhook.verify(await delivery(body), ctx)).toEqual({
      ok: true,
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      event: 'issues',
    });
  });

  it('refuses a delivery whose body was changed after signing', async () => {
    const request = await delivery(body);
    const tampered = { ...request, rawBody: Buffer.from(body.replace('EU cards', 'US cards')) };
    expect(githubWebhook.verify(tampered, ctx)).toMatchObject({
      ok: false,
      status: 401,
      code: 'bad_signature',
    });
  });

  it('refuses a delivery signed with another secret', async () => {
    const request = await delivery(body, { secret: 'not-the-secret' });
    expect(githubWebhook.verify(request, ctx)).toMatchObject({ ok: false, status: 401 });
  });

  it('accepts a delivery signed with the previous secret while the secret is being rotated', async () => {
    const request = await delivery(body, { secret: 'the-old-secret' });
    expect(githubWebhook.verify(request, ctx)).toMatchObject({ ok: true });
    const afterRotation = githubContext();
    expect(githubWebhook.verify(request, afterRotation)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a delivery without a signature header', async () => {
    const request = await delivery(body, { headers: { 'x-hub-signature-256': undefined } });
    expect(githubWebhook.verify(request, ctx)).toMatchObject({
      ok: false,
      status: 401,
      code: 'missing_signature',
    });
  });

  it('refuses a signature of the wrong length or format without comparing it', async () => {
    const request = await delivery(body, { headers: { 'x-hub-signature-256': 'sha256=abc123' } });
    expect(githubWebhook.verify(request, ctx)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 to a signed request that lacks the delivery or event header', async () => {
    const noDelivery = await delivery(body, { headers: { 'x-github-delivery': undefined } });
    expect(githubWebhook.verify(noDelivery, ctx)).toMatchObject({ ok: false, status: 400 });
    const noEvent = await delivery(body, { headers: { 'x-github-event': undefined } });
    expect(githubWebhook.verify(noEvent, ctx)).toMatchObject({ ok: false, status: 400 });
  });

  it('reads headers whatever their case', async () => {
    const request = await delivery(body);
    const upper = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(githubWebhook.verify({ ...request, headers: upper }, ctx)).toMatchObject({ ok: true });
  });
});

describe('parsing stored deliveries', () => {
  const ctx = githubContext();

  it('ignores ping and events Baton does not read', async () => {
    expect(
      await githubWebhook.parse(storedDelivery('ping', fixtureText('webhooks/ping.json')), ctx),
    ).toMatchObject({
      kind: 'ignored',
    });
    for (const event of ['star', 'toString']) {
      expect(await githubWebhook.parse(storedDelivery(event, '{"action":"created"}'), ctx)).toMatchObject({
        kind: 'ignored',
      });
    }
  });

  it('reports a signed body that is not JSON as a parse error', async () => {
    const request = await delivery('{"action": "opened", ');
    expect(githubWebhook.verify(request, ctx)).toMatchObject({ ok: true });
    expect(await githubWebhook.parse(storedDelivery('issues', request.rawBody), ctx)).toMatchObject({
      kind: 'error',
      code: 'malformed_json',
    });
  });

  it('reports a payload missing what the event must carry', async () => {
    const result = await githubWebhook.parse(
      storedDelivery('issues', '{"action":"opened","repository":{"full_name":"acme/checkout"}}'),
      ctx,
    );
    expect(result).toMatchObject({ kind: 'error', code: 'unexpected_payload' });
  });

  it('ignores deliveries about repositories the connection does not cover', async () => {
    const elsewhere = body.replaceAll('"full_name": "acme/checkout"', '"full_name": "acme/website"');
    expect(await githubWebhook.parse(storedDelivery('issues', elsewhere), ctx)).toMatchObject({
      kind: 'ignored',
    });
  });

  it('matches the repository whatever case GitHub spells it in', async () => {
    const shouting = body.replaceAll('"full_name": "acme/checkout"', '"full_name": "ACME/Checkout"');
    const result = await githubWebhook.parse(storedDelivery('issues', shouting), ctx);
    expect(result.kind === 'records' && result.records[0].externalId).toBe('acme/checkout#43');
  });

  it('completes a comment on a pull request with the PR’s branches, or asks for a pull when it cannot', async () => {
    const payload = fixture('webhooks/issue_comment.created.json');
    payload.issue.pull_request = {
      url: 'https://api.github.com/repos/acme/checkout/pulls/41',
      merged_at: null,
    };
    const stored = storedDelivery('issue_comment', JSON.stringify(payload));
    const quick = { ...ctx, http: createHttpPacer({ sleep: async () => {}, baseDelayMs: 1 }) };

    nock('https://gh.example.test')
      .get('/repos/acme/checkout/pulls/41')
      .reply(200, fixture('rest/pull-42.json'));
    const completed = await githubWebhook.parse(stored, quick);
    expect(completed.kind === 'records' && completed.records[0].fields).toMatchObject({
      headRef: 'feature/CHK-12-apple-pay',
      baseRef: 'main',
    });

    nock('https://gh.example.test').get('/repos/acme/checkout/pulls/41').reply(404, { message: 'Not Found' });
    expect(await githubWebhook.parse(stored, quick)).toEqual({ kind: 'pull' });
  });
});
