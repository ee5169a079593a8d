import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { collectPull, contextFor } from '../../src/connectors/kit/contract-suite.js';
import { createHttpPacer, type Json } from '../../src/connectors/kit/index.js';
import { githubConnector } from './index.js';
import { generateSeed, startGitHubSimulator } from './simulator.js';
import { storedDelivery } from './test-support.js';
import { githubWebhook } from './webhook.js';

const REPO = 'acme/checkout';

describe('polling the simulator', () => {
  it('polls unchanged repositories with one request each, answered 304 and free of rate limit', async () => {
    const sim = await startGitHubSimulator({
      generate: { repo: REPO, items: 12 },
      seed: generateSeed({ repo: 'acme/payments', items: 3 }),
    });
    try {
      const ctx = contextFor(githubConnector, sim.connectionSettings());
      const first = await collectPull(githubConnector, ctx, null);
      sim.requests.length = 0;
      const remaining = sim.rateLimit.remaining;
      const again = await collectPull(githubConnector, ctx, first.cursor);
      expect(again.pages).toEqual([]);
      expect(sim.requests.map((r) => [r.path.split('?')[0], r.status])).toEqual([
        ['/repos/acme/checkout/issues', 304],
        ['/repos/acme/payments/issues', 304],
      ]);
      expect(sim.rateLimit.remaining).toBe(remaining);
    } finally {
      await sim.stop();
    }
  });

  it('gives a review handoff the same activity ids from a poll and from its webhooks', async () => {
    let clock = Date.parse('2024-06-03T09:00:00Z');
    const sim = await startGitHubSimulator({
      seed: { repos: [{ full_name: REPO }] },
      webhook: { secret: 'handoff' },
      now: () => {
        clock += 60_000;
        return new Date(clock);
      },
    });
    try {
      const pr = await sim.openPullRequest(REPO, {
        title: 'Apple Pay',
        user: 'alice',
        head: 'feature/CHK-7-apple-pay',
      });
      await sim.requestReview(REPO, pr.number, { reviewer: 'carol', by: 'alice' });
      await sim.submitReview(REPO, pr.number, { reviewer: 'carol', state: 'changes_requested' });
      await sim.comment(REPO, pr.number, { user: 'alice', body: '/baton snooze 1d' });

      const ctx = contextFor(githubConnector, sim.connectionSettings());
      const { records } = await collectPull(githubConnector, ctx, null);
      const polled = records[0];
      expect(polled.references).toEqual(['CHK-7']);
      expect(polled.activity.map((a) => [a.kind, a.actor?.id, a.target?.id, a.detail])).toEqual([
        ['review_requested', 'alice', 'carol', undefined],
        ['reviewed', 'carol', undefined, { state: 'changes_requested' }],
        ['commented', 'alice', undefined, { command: 'snooze 1d' }],
      ]);

      const pushed = [];
      for (const d of sim.deliveries) {
        const parsed = await githubWebhook.parse(storedDelivery(d.event, d.request.rawBody), ctx);
        if (parsed.kind === 'records') pushed.push(...parsed.records.flatMap((r) => r.activity));
      }
      const key = (a: { kind: string; actor?: { id: string }; target?: { id: string }; at: string }) =>
        `${a.kind}|${a.actor?.id}|${a.target?.id}|${a.at}`;
      // Reviews and comments carry GitHub's ids both ways; a review request has no id in its
      // webhook, so Baton matches it on kind, actor, target and time.
      expect(pushed.map(key)).toEqual(polled.activity.map(key));
      expect(pushed.filter((a) => a.kind !== 'review_requested').map((a) => a.id)).toEqual(
        polled.activity.filter((a) => a.kind !== 'review_requested').map((a) => a.id),
      );
    } finally {
      await sim.stop();
    }
  });

  it('tombstones deleted and transferred issues when the reconciliation pass is due, not before', async () => {
    const sim = await startGitHubSimulator({ generate: { repo: REPO, items: 6 } });
    try {
      const settings = sim.connectionSettings();
      const first = await collectPull(githubConnector, contextFor(githubConnector, settings), null);
      const known = new Set(first.records.map((r) => r.externalId));
      await sim.deleteIssue(REPO, 1, { by: 'alice' });
      await sim.transferIssue(REPO, 2, { to: 'acme/elsewhere', by: 'alice' });

      const soon = contextFor(githubConnector, settings, known);
      const early = await collectPull(githubConnector, soon, first.cursor);
      expect(early.records.filter((r) => r.deleted)).toEqual([]);

      const later = { ...soon, now: () => new Date(Date.now() + 25 * 3_600_000) };
      const due = await collectPull(githubConnector, later, early.cursor);
      expect(due.records.filter((r) => r.deleted).map((r) => r.externalId)).toEqual([
        'acme/checkout#1',
        'acme/checkout#2',
      ]);
    } finally {
      await sim.stop();
    }
  });

  it('retries 502s and a secondary rate limit switched on at runtime', async () => {
    const sim = await startGitHubSimulator({ generate: { repo: REPO, items: 3 } });
    try {
      const waits: number[] = [];
      const ctx = {
        ...contextFor(githubConnector, sim.connectionSettings()),
        http: createHttpPacer({ sleep: async (ms) => void waits.push(ms), baseDelayMs: 1 }),
      };
      sim.faults.set({ status5xx: 2 });
      const first = await collectPull(githubConnector, ctx, null);
      expect(first.records).toHaveLength(3);
      expect(waits).toHaveLength(2);

      await sim.editIssue(REPO, 1, { title: 'Changed', by: 'alice' });
      sim.faults.set({ rateLimit: { retryAfterSec: 7 } });
      const next = await collectPull(githubConnector, ctx, first.cursor);
      expect(next.records.map((r) => r.externalId)).toEqual(['acme/checkout#1']);
      expect(waits.at(-1)).toBe(7000);
    } finally {
      await sim.stop();
    }
  });

  it('answers 403 with x-ratelimit-remaining 0 while the primary limit is used up', async () => {
    const sim = await startGitHubSimulator({ generate: { repo: REPO, items: 1 } });
    try {
      sim.faults.set({ primaryExhausted: { resetInSec: 60 } });
      const response = await fetch(`${sim.baseUrl}/repos/${REPO}/issues`, {
        headers: { authorization: 'token ghp_simulator' },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      const refused = await fetch(`${sim.baseUrl}/repos/${REPO}/issues`, {
        headers: { authorization: 'token nope' },
      });
      expect(refused.status).toBe(401);
    } finally {
      await sim.stop();
    }
  });

  it('serves GitHub Enterprise Server’s /api/v3 paths', async () => {
    const sim = await startGitHubSimulator({ generate: { repo: REPO, items: 2 }, enterprise: true });
    try {
      expect(sim.baseUrl).toMatch(/\/api\/v3$/);
      const { records } = await collectPull(
        githubConnector,
        contextFor(githubConnector, sim.connectionSettings()),
        null,
      );
      expect(records).toHaveLength(2);
    } finally {
      await sim.stop();
    }
  });
});

describe('GitHub App authentication', () => {
  it('mints an installation token with a verified JWT and reuses it across pulls', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const sim = await startGitHubSimulator({
      generate: { repo: REPO, items: 3 },
      app: { appId: 31337, privateKey, installationId: 4242 },
    });
    try {
      const settings = sim.connectionSettings();
      expect(settings).toMatchObject({ app: { appId: 31337, installationId: 4242 } });
      const first = await collectPull(githubConnector, contextFor(githubConnector, settings), null);
      await collectPull(githubConnector, contextFor(githubConnector, settings), first.cursor as Json);
      expect(first.records).toHaveLength(3);
      expect(sim.tokensIssued()).toBe(1);
    } finally {
      await sim.stop();
    }
  });
});

describe('webhook deliveries from the simulator', () => {
  it('POSTs signed deliveries that the connector verifies', async () => {
    const received: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
    const receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/github`;
    const sim = await startGitHubSimulator({
      seed: { repos: [{ full_name: REPO }] },
      webhook: { url, secret: 'shh' },
    });
    try {
      await sim.createIssue(REPO, { title: 'CHK-9 checkout fails', user: 'alice' });
      expect(sim.deliveries.map((d) => [d.event, d.payload.action, d.status])).toEqual([
        ['issues', 'opened', 202],
      ]);
      const ctx = contextFor(githubConnector, { ...sim.connectionSettings(), webhookSecret: 'shh' });
      const [{ headers, body }] = received;
      const verdict = githubWebhook.verify(
        { headers: headers as Record<string, string>, query: {}, rawBody: body },
        ctx,
      );
      expect(verdict).toMatchObject({ ok: true, event: 'issues' });
    } finally {
      await sim.stop();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
