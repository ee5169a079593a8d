import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, type Json } from '../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import { drainInboxBatch } from '../../src/jobs/drain-inbox.js';
import { subscriptionTasks } from '../../src/jobs/subscription-tasks.js';
import type { BatonServices } from '../../src/runtime/services.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { storeDelivery } from '../../src/store/inbox.repository.js';
import { createTestDatabase } from '../support/test-database.js';
import { connectionConfig, testServices } from '../support/test-services.js';

const calls: { kind: string; force?: unknown }[] = [];

/** A tool whose notifications are lifecycle notices, like Graph's. */
const lifecycleTool = defineConnector({
  kind: 'lifecycle-tool',
  config: z.object({}),
  async *pull() {},
  webhook: {
    verify: () => ({ ok: true, deliveryId: 'd', event: 'lifecycle' }),
    parse: (delivery) => {
      const { event } = JSON.parse(delivery.body.toString()) as { event: string };
      if (event === 'reauthorizationRequired')
        return { kind: 'pull', subscriptions: { action: 'renew', subscriptionIds: ['sub-1'] } };
      if (event === 'subscriptionRemoved') return { kind: 'pull', subscriptions: { action: 'recreate' } };
      return { kind: 'pull' };
    },
  },
  subscriptions: {
    async ensure() {
      calls.push({ kind: 'ensure' });
      return { subs: ['sub-1'] } as Json;
    },
    async renew(_ctx, state, _url, force) {
      calls.push({ kind: 'renew', force });
      return state;
    },
    async remove() {},
  },
});

let database: DatabaseHandle;
let services: BatonServices;

beforeAll(async () => {
  if (!findConnector('lifecycle-tool')) registerConnector(lifecycleTool);
  database = await createTestDatabase();
  services = await testServices(database, { connections: [connectionConfig('graph', 'lifecycle-tool', {})] });
});
afterAll(async () => {
  await services.scheduler.close();
  await database.close();
});

describe('lifecycle notices from a tool', () => {
  it('are drained into requests to renew or recreate subscriptions, besides a pull', async () => {
    for (const [id, event] of [
      ['a', 'reauthorizationRequired'],
      ['b', 'subscriptionRemoved'],
      ['c', 'missed'],
    ]) {
      await storeDelivery(database.db, {
        connection: 'graph',
        deliveryId: id,
        event: 'lifecycle',
        headers: {},
        body: Buffer.from(JSON.stringify({ event })),
      });
    }
    const result = await drainInboxBatch(services.db, services.plans, services.connections.get('graph')!);
    expect(result.pullRequested).toBe(true);
    expect(result.subscriptionRequests).toEqual([
      { action: 'renew', subscriptionIds: ['sub-1'] },
      { action: 'recreate' },
    ]);
  });

  it('renew the named subscriptions now, and recreate through ensure', async () => {
    const task = subscriptionTasks(services).renew_subscriptions!;
    const helpers = {} as never;
    await task({ connection: 'graph' }, helpers); // first run in a process: ensure
    await task({ connection: 'graph', force: { action: 'renew', subscriptionIds: ['sub-1'] } }, helpers);
    await task({ connection: 'graph', force: { action: 'recreate' } }, helpers);
    expect(calls).toEqual([
      { kind: 'ensure' },
      { kind: 'renew', force: { subscriptionIds: ['sub-1'] } },
      { kind: 'ensure' },
    ]);
  });
});
