import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudClient } from 'jira.js';
import { FailedWebhooksSchema } from 'jira.js/cloud';
import { createClient } from 'jira.js/core';
import { afterEach, describe, expect, it } from 'vitest';
import { collectPull, contextFor } from '../../src/connectors/kit/contract-suite.js';
import jira from './index.js';
import { normalizeIssue } from './normalize.js';
import { generateIssues, type JiraSimulator, startJiraSimulator, type WireIssue } from './simulator.js';
import { parseJiraDelivery, verifyJiraDelivery } from './webhook.js';
import { recoverFailedDeliveries } from './webhook-recovery.js';

let sim: JiraSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** jira.js with schema checks that throw: the simulator's answers must match Jira's documented shapes. */
function strictClient(s: JiraSimulator) {
  const settings = s.connectionSettings() as { auth: { email: string; apiToken: string } };
  const core = createClient({
    host: s.baseUrl,
    auth: { type: 'basic', ...settings.auth },
    onSchemaMismatch: 'throw',
  });
  return { core, cloud: createCloudClient(core) };
}

const clock = (start: string) => {
  let ms = Date.parse(start);
  return {
    now: () => new Date(ms),
    set: (iso: string) => {
      ms = Date.parse(iso);
    },
  };
};

describe('the Jira simulator', () => {
  it('answers in shapes jira.js validates: myself, search with changelog, issue, comments, failed webhooks', async () => {
    sim = await startJiraSimulator({ generate: { count: 20 }, webhook: { secret: 's' } });
    const id = sim.liveIds()[3];
    await sim.transition(id, 'Awaiting approval', sim.users[1].accountId);
    await sim.assign(id, sim.users[2].accountId);
    await sim.comment(id, 'Please approve', sim.users[0].accountId);
    await sim.createIssue({
      project: 'CHK',
      summary: 'New work (see CHK-1)',
      assignee: sim.users[3].accountId,
      parent: 'CHK-1',
    });
    const { cloud, core } = strictClient(sim);

    expect((await cloud.myself.getCurrentUser()).timeZone).toBe('UTC');
    const page = await cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: 'project in (CHK, OPS) ORDER BY updated ASC, key ASC',
      fields: ['summary', 'status', 'assignee', 'comment', 'updated', 'parent'],
      expand: 'changelog',
      maxResults: 100,
    });
    expect(page.issues).toHaveLength(21);
    const changed = page.issues?.find((issue) => issue.id === id);
    expect(changed?.changelog?.histories?.at(-1)?.items?.[0]).toMatchObject({ field: 'assignee' });
    expect(Object.keys(changed?.fields ?? {}).sort()).toEqual([
      'assignee',
      'comment',
      'parent',
      'status',
      'summary',
      'updated',
    ]);
    const viaGet = await cloud.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: 'project = OPS',
      fields: ['summary'],
    });
    expect(viaGet.issues?.every((issue) => issue.key?.startsWith('OPS-'))).toBe(true);
    expect((await cloud.issues.getIssue({ issueIdOrKey: id, expand: 'changelog' })).key).toMatch(
      /^(CHK|OPS)-\d+$/,
    );
    expect(
      (await cloud.issueComments.getComments({ issueIdOrKey: id })).comments?.at(-1)?.body,
    ).toMatchObject({ type: 'doc' });
    const failed = await core.sendRequest({
      url: '/rest/api/3/webhook/failed',
      method: 'GET',
      schema: FailedWebhooksSchema,
    });
    expect(failed.values).toEqual([]);
  });

  it('refuses wrong credentials with 401 and accepts an OAuth bearer token when configured so', async () => {
    sim = await startJiraSimulator({ generate: { count: 1 }, auth: { bearerToken: 'oauth-access-token' } });
    const ok = await fetch(`${sim.baseUrl}/rest/api/3/myself`, {
      headers: { authorization: 'Bearer oauth-access-token' },
    });
    expect(ok.status).toBe(200);
    const refused = await fetch(`${sim.baseUrl}/rest/api/3/myself`, {
      headers: { authorization: 'Bearer stolen' },
    });
    expect(refused.status).toBe(401);
    expect(sim.connectionSettings()).toMatchObject({ auth: { bearerToken: 'oauth-access-token' } });
  });

  it('serves seed issues given in wire format; the connector pulls them with an OAuth token as it would from Jira', async () => {
    const seed = JSON.parse(
      readFileSync(new URL('./fixtures/search-approval-page.json', import.meta.url), 'utf8'),
    );
    sim = await startJiraSimulator({
      issues: seed.issues as WireIssue[],
      auth: { bearerToken: 'oauth-access-token' },
    });
    const ctx = contextFor(jira, { ...sim.connectionSettings(), siteUrl: 'https://acme.atlassian.net' });
    const { records } = await collectPull(jira, ctx, null);
    const options = {
      siteUrl: 'https://acme.atlassian.net',
      approvalStatuses: ['Awaiting approval'],
      extraFields: [],
    };
    const strip = ({ raw: _raw, ...rest }: ReturnType<typeof normalizeIssue>) => rest;
    // Oldest `updated` first: OPS-7 (6 June) before CHK-42 (7 June).
    expect(records.map(strip)).toEqual(
      [seed.issues[1], seed.issues[0]].map((i) => strip(normalizeIssue(i, options))),
    );
  });

  it('reads JQL date literals in the user’s time zone', async () => {
    const time = clock('2024-06-08T09:59:30.000Z');
    sim = await startJiraSimulator({ timeZone: 'Asia/Kolkata', now: time.now });
    await sim.createIssue({ project: 'CHK', summary: 'before' });
    time.set('2024-06-08T10:00:10.000Z');
    await sim.createIssue({ project: 'CHK', summary: 'after' });
    const { cloud } = strictClient(sim);
    // 10:00 UTC is 15:30 in Kolkata.
    const page = await cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: 'project = CHK AND updated >= "2024/06/08 15:30" ORDER BY updated ASC, key ASC',
      fields: ['summary', 'updated'],
    });
    expect(page.issues?.map((issue) => issue.fields?.summary)).toEqual(['after']);
    expect(page.issues?.[0].fields?.updated).toBe('2024-06-08T15:30:10.000+0530');
  });

  it('pages with nextPageToken, refuses unbounded JQL, and refuses a token from another query or older than 7 days', async () => {
    const time = clock('2024-06-08T10:00:00.000Z');
    sim = await startJiraSimulator({ generate: { count: 12 }, now: time.now });
    const search = async (body: Record<string, unknown>) => {
      const response = await fetch(`${sim!.baseUrl}/rest/api/3/search/jql`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('baton@example.com:sim-api-token').toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { issues: { id: string }[]; nextPageToken?: string },
      };
    };
    const jql = 'project in (CHK, OPS) ORDER BY key ASC';
    const first = await search({ jql, maxResults: 5 });
    expect(first.body.issues.every((issue: object) => Object.keys(issue).join() === 'id')).toBe(true);
    const ids: string[] = first.body.issues.map((i: { id: string }) => i.id);
    let token = first.body.nextPageToken;
    while (token) {
      const next = await search({ jql, maxResults: 5, nextPageToken: token });
      ids.push(...next.body.issues.map((i: { id: string }) => i.id));
      token = next.body.nextPageToken;
    }
    expect(ids.sort()).toEqual(sim.liveIds().sort());
    expect((await search({ jql: 'ORDER BY updated' })).status).toBe(400);
    expect((await search({ jql: 'project = CHK', nextPageToken: first.body.nextPageToken })).status).toBe(
      400,
    );
    time.set('2024-06-15T10:00:01.000Z');
    expect((await search({ jql, nextPageToken: first.body.nextPageToken })).status).toBe(400);
  });

  it('answers 429 with Retry-After and then 5xx while a fault is switched on, normally once it is off', async () => {
    sim = await startJiraSimulator({ generate: { count: 1 } });
    const { cloud } = strictClient(sim);
    sim.setFault({ kind: 'rate_limit', retryAfterSeconds: 7, times: 1 });
    const limited = await cloud.myself.getCurrentUser().catch((e) => e);
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 7000 });
    sim.setFault({ kind: 'server_error', status: 502 });
    expect(await cloud.myself.getCurrentUser().catch((e) => e.status)).toBe(502);
    expect(await cloud.myself.getCurrentUser().catch((e) => e.status)).toBe(502);
    sim.setFault(null);
    expect((await cloud.myself.getCurrentUser()).accountId).toBe(sim.apiUser.accountId);
  });

  it('posts signed deliveries that Baton verifies, and lists failed ones for recovery', async () => {
    const received: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
    let answer = 200;
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/jira`;
    try {
      sim = await startJiraSimulator({ generate: { count: 2 }, webhook: { url, secret: 'shared' } });
      const ctx = contextFor(jira, sim.connectionSettings());
      const [id, other] = sim.liveIds();
      await sim.assign(id, sim.users[1].accountId, sim.users[0].accountId);
      expect(received).toHaveLength(1);
      const delivery = received[0];
      expect(delivery.headers).toMatchObject({ 'x-atlassian-webhook-flow': 'Primary' });
      const verdict = jira.webhook.verify(
        { headers: delivery.headers as Record<string, string>, query: {}, rawBody: delivery.body },
        ctx,
      );
      expect(verdict).toEqual({
        ok: true,
        deliveryId: delivery.headers['x-atlassian-webhook-identifier'],
        event: 'jira:issue_updated',
      });
      const parsed = parseJiraDelivery(delivery.body, {
        siteUrl: sim.baseUrl,
        approvalStatuses: ['Awaiting approval'],
        extraFields: [],
      });
      expect(parsed).toMatchObject({
        kind: 'records',
        records: [{ externalId: id, assignees: [{ id: sim.users[1].accountId }] }],
      });

      answer = 500;
      await sim.deleteIssue(other);
      expect(sim.failedWebhooks).toHaveLength(1);
      const { deliveries, after } = await recoverFailedDeliveries(ctx);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({
        deliveryId: sim.failedWebhooks[0].id,
        event: 'jira:issue_deleted',
      });
      expect(
        parseJiraDelivery(deliveries[0].body, { siteUrl: '', approvalStatuses: [], extraFields: [] }),
      ).toMatchObject({
        kind: 'records',
        records: [{ externalId: other, deleted: true }],
      });
      expect(await recoverFailedDeliveries(ctx, after)).toEqual({ deliveries: [], after, supported: true });
      // Recovered bodies carry no signature: they go to the inbox directly, never through verify.
      expect(
        verifyJiraDelivery({ headers: deliveries[0].headers, query: {}, rawBody: deliveries[0].body }, [
          'shared',
        ]).ok,
      ).toBe(false);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('generates the same large data set for the same seed, and serves a window of 100,000 issues by updated', async () => {
    const a = generateIssues(100_000, 42);
    expect(a.rows).toHaveLength(100_000);
    expect(generateIssues(100_000, 42).rows[99_999]).toEqual(a.rows[99_999]);
    sim = await startJiraSimulator({ generate: { count: 100_000, seed: 42 } });
    const { cloud } = strictClient(sim);
    const newest = new Date(a.rows[99_999].updatedMs - 60_000).toISOString();
    const bound = `${newest.slice(0, 10).replaceAll('-', '/')} ${newest.slice(11, 16)}`;
    const page = await cloud.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: `project in (CHK, OPS) AND updated >= "${bound}" ORDER BY updated ASC, key ASC`,
      fields: ['summary', 'status', 'updated', 'assignee', 'comment'],
      expand: 'changelog',
      maxResults: 100,
    });
    // 30 s apart, every tenth sharing its predecessor's time: 2–3 minutes hold a handful of issues.
    expect(page.issues?.length).toBeGreaterThan(2);
    expect(page.issues?.length).toBeLessThan(10);
    expect(page.issues?.at(-1)?.id).toBe(String(a.rows[99_999].id));
    const again = await cloud.issues.getIssue({
      issueIdOrKey: String(a.rows[99_999].id),
      expand: 'changelog',
    });
    expect(again.fields?.summary).toBe(page.issues?.at(-1)?.fields?.summary);
  });
});
