import { z } from 'zod';
import { defineConnector } from '../../../src/connectors/kit/contract.js';

/**
 * A connector for `baton doctor` tests: its pull makes one authenticated GET to `baseUrl`, so a
 * local server decides whether the credentials are accepted and what Date the tool's clock says.
 */
export const probeConnector = defineConnector({
  kind: 'probe',
  config: z.object({
    baseUrl: z.string().url(),
    token: z.string().min(1),
    webhookSecret: z.string().optional(),
  }),
  async *pull(ctx) {
    const response = await ctx.http.run(async () => {
      const answer = await fetch(`${ctx.config.baseUrl}/items`, {
        headers: { authorization: `Bearer ${ctx.config.token}` },
        signal: ctx.signal,
      });
      if (!answer.ok)
        throw Object.assign(new Error(`GET /items answered ${answer.status}`), {
          status: answer.status,
          headers: answer.headers,
        });
      return answer;
    });
    const body = (await response.json()) as { cursor?: string };
    yield { records: [], cursor: body.cursor ?? null };
  },
  webhook: {
    verify: () => ({
      ok: false,
      status: 401,
      code: 'bad_signature',
      message: 'probe deliveries are never valid',
    }),
    parse: () => ({ kind: 'ignored', reason: 'probe' }),
  },
});
