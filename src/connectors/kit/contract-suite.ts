import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../domain/source-record.js';
import { SourceRecord as SourceRecordSchema } from '../../domain/source-record.js';
import type { Connector, StoredDelivery, WebhookRequest } from './contract.js';
import { collectPull, contextFor } from './harness.js';

export { collectPull, contextFor };

/**
 * The contract every connector passes against its own simulator. A connector's test file calls
 * `connectorContract(harness)`; the harness starts the simulator and drives changes in it.
 */
export interface ContractWorld {
  /** Raw connection settings pointing at the simulator (validated by the connector's config schema). */
  settings: Record<string, unknown>;
  /** External ids of every item the simulator holds in scope, deleted ones excluded. */
  liveIds(): Promise<string[]>;
  /** Change one item; returns its external id. */
  changeOne(): Promise<string>;
  /** Delete (or trash / remove from scope) one item; returns its external id. */
  deleteOne(): Promise<string>;
  /** A delivery exactly as the tool would send it for a change, correctly signed. */
  signedDelivery(): Promise<WebhookRequest>;
  /**
   * Alter a signed delivery the way an attacker would. Default: flip one byte in the body. Tools
   * whose notifications carry no body (Drive) change the secret header instead.
   */
  tamper?(request: WebhookRequest): WebhookRequest;
  stop(): Promise<void>;
}

export interface ContractHarness {
  connector: Connector;
  /** Start a fresh simulator holding `items` items (enough for several pages). */
  start(options: { items: number }): Promise<ContractWorld>;
  /** Page size the simulator uses, so the suite can ask for several pages. */
  pageSize: number;
}

const versionKey = (r: SourceRecord) => `${r.externalId}@${r.updatedAt}`;

export function connectorContract(harness: ContractHarness): void {
  const { connector } = harness;
  const items = harness.pageSize * 3 + 2;

  describe(`${connector.kind} connector contract`, () => {
    it('pulls every item from an empty cursor, each as a valid SourceRecord', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const { records, pages } = await collectPull(connector, ctx, null);
        expect(pages.length).toBeGreaterThan(1);
        for (const record of records) expect(() => SourceRecordSchema.parse(record)).not.toThrow();
        const live = new Set(records.filter((r) => !r.deleted).map((r) => r.externalId));
        expect([...live].sort()).toEqual((await world.liveIds()).sort());
        expect(new Set(records.map(versionKey)).size).toBe(records.length);
      } finally {
        await world.stop();
      }
    });

    it('resumes from every yielded cursor without losing or repeating anything', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const full = await collectPull(connector, ctx, null);
        const all = new Set(full.records.map((r) => r.externalId));
        for (let i = 0; i < full.pages.length; i++) {
          const before = full.pages.slice(0, i + 1).flatMap((p) => p.records);
          const rest = await collectPull(connector, ctx, full.pages[i].cursor);
          const union = new Set([...before, ...rest.records].map((r) => r.externalId));
          expect(union).toEqual(all);
          const seen = new Set(before.map(versionKey));
          expect(rest.records.filter((r) => seen.has(versionKey(r)))).toEqual([]);
        }
      } finally {
        await world.stop();
      }
    });

    it('yields nothing on a second pull when nothing changed, and only the change after one', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const first = await collectPull(connector, ctx, null);
        const again = await collectPull(connector, ctx, first.cursor);
        expect(again.records).toEqual([]);
        const changed = await world.changeOne();
        const next = await collectPull(connector, ctx, again.cursor);
        expect(next.records.map((r) => r.externalId)).toContain(changed);
      } finally {
        await world.stop();
      }
    });

    it('marks deleted items as deleted', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const first = await collectPull(connector, ctx, null);
        const known = new Set(first.records.filter((r) => !r.deleted).map((r) => r.externalId));
        const gone = await world.deleteOne();
        const next = await collectPull(connector, contextFor(connector, world.settings, known), first.cursor);
        const record = next.records.find((r) => r.externalId === gone);
        expect(record?.deleted).toBe(true);
      } finally {
        await world.stop();
      }
    });

    it('accepts a signed delivery and parses it into records, or into a pull request', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const request = await world.signedDelivery();
        const verdict = connector.webhook.verify(request, ctx);
        expect(verdict.ok).toBe(true);
        if (!verdict.ok) return;
        const delivery: StoredDelivery = {
          deliveryId: verdict.deliveryId,
          event: verdict.event,
          headers: request.headers,
          body: request.rawBody,
          receivedAt: new Date(),
        };
        const parsed = await connector.webhook.parse(delivery, ctx);
        expect(['records', 'pull']).toContain(parsed.kind);
        if (parsed.kind === 'records') {
          expect(parsed.records.length).toBeGreaterThan(0);
          for (const record of parsed.records) expect(() => SourceRecordSchema.parse(record)).not.toThrow();
        }
      } finally {
        await world.stop();
      }
    });

    it('refuses a delivery whose body was changed after signing', async () => {
      const world = await harness.start({ items });
      try {
        const ctx = contextFor(connector, world.settings);
        const request = await world.signedDelivery();
        const tamperedRequest = world.tamper ? world.tamper(request) : flipOneByte(request);
        const verdict = connector.webhook.verify(tamperedRequest, ctx);
        // Tools that sign bodies refuse this; tools that authenticate by a shared token (Graph
        // clientState inside the body, Drive channel token) refuse it because the token no longer matches
        // or because the body is not theirs: either way, not ok.
        expect(verdict.ok).toBe(false);
      } finally {
        await world.stop();
      }
    });
  });
}

function flipOneByte(request: WebhookRequest): WebhookRequest {
  const body = Buffer.from(request.rawBody);
  body[Math.floor(body.length / 2)] ^= 1;
  return { ...request, rawBody: body };
}
