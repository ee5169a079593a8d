import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { defineConnector } from '../../src/connectors/kit/contract.js';
import { findConnector, registerConnector } from '../../src/connectors/kit/registry.js';
import { SourceRecord } from '../../src/domain/source-record.js';

/** A minimal connector for API tests: HMAC-signed JSON deliveries carrying SourceRecords. */
export const fakeConnector = defineConnector({
  kind: 'fake',
  config: z.object({ secret: z.string() }),
  async *pull() {},
  webhook: {
    verify(request, ctx) {
      const signature = request.headers['x-fake-signature'] ?? '';
      const delivery = request.headers['x-fake-delivery'];
      const expected = createHmac('sha256', ctx.config.secret).update(request.rawBody).digest('hex');
      if (
        signature.length !== expected.length ||
        !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
      ) {
        return { ok: false, status: 401, code: 'bad_signature', message: 'signature does not match' };
      }
      if (!delivery)
        return {
          ok: false,
          status: 400,
          code: 'missing_delivery_id',
          message: 'x-fake-delivery is required',
        };
      return { ok: true, deliveryId: delivery, event: 'records' };
    },
    parse(delivery) {
      const body = JSON.parse(delivery.body.toString('utf8')) as { records: unknown[] };
      return { kind: 'records', records: body.records.map((r) => SourceRecord.parse(r)) };
    },
  },
});

export function registerFakeConnector(): void {
  if (!findConnector('fake')) registerConnector(fakeConnector);
}

export function signFake(body: string, secret = 'fake-secret'): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
