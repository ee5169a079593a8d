import type { Kysely } from 'kysely';
import type { NotifyResult } from '../connectors/kit/contract.js';
import type { CompiledPlan } from '../domain/plan.js';
import {
  claimAlert,
  enqueueSendJobs,
  markFailed,
  markSent,
  releaseAlert,
} from '../store/alerts.repository.js';
import type { Database } from '../store/schema.js';
import { type ChannelServices, deliver } from './alert-channels.js';
import { type Preparation, prepareDigest, prepareHandoffAlert } from './alert-content.js';

export interface SendServices extends ChannelServices {
  db: Kysely<Database>;
  plans: { get(key: string): CompiledPlan | undefined };
  publicUrl: string;
  now(): Date;
}

export type SendOutcome = 'sent' | 'failed' | 'dead' | 'held' | 'withdrawn' | 'skipped' | 'released';

/** How long a sender owns a claimed alert before another may take it over. */
export const SEND_LEASE_MS = 10 * 60_000;
export const MAX_SEND_ATTEMPTS = 8;

/** 1, 2, 4 … minutes after each failure, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/**
 * Sends one alert at most once:
 * 1. claim it (pending/failed → sending, with a lease) in one UPDATE: a second worker, a retry
 *    of the same job, or a duplicate job finds nothing to claim;
 * 2. check it still matters (handoff open, not acknowledged or snoozed, recipient at work);
 * 3. notify, then mark it sent with the tool's ref in one UPDATE.
 * The one window left: the process dies after the tool accepted the alert and before the
 * UPDATE in 3 commits. The lease then runs out and the alert is sent again — at-least-once in
 * that window only, never a second send once it is marked sent.
 * A worker that stops mid-send (`signal`) gives the alert back at once, attempts unchanged.
 */
export async function sendAlert(
  services: SendServices,
  alertId: string,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const now = services.now();
  const alert = await claimAlert(services.db, alertId, now, SEND_LEASE_MS);
  if (!alert) return 'skipped';

  let preparation: Preparation;
  let result: NotifyResult;
  try {
    preparation =
      alert.kind === 'digest'
        ? await prepareDigest(services, alert, now)
        : await prepareHandoffAlert(services, alert, now);
    if (preparation.kind === 'withdraw') {
      await releaseAlert(services.db, alert.id, { status: 'withdrawn', reason: preparation.reason }, now);
      return 'withdrawn';
    }
    if (preparation.kind === 'hold') {
      await releaseAlert(services.db, alert.id, { status: 'pending', notBefore: preparation.until }, now);
      await enqueueSendJobs(services.db, [{ id: alert.id, runAt: preparation.until }]);
      return 'held';
    }
    result = await deliver(services, alert.channel, preparation.delivery, signal);
  } catch (error) {
    // Nothing was delivered (deliver answers instead of throwing): retry like a failed send.
    result = {
      ok: false,
      code: 'send_error',
      message: (error as Error)?.message ?? String(error),
      retry: true,
    };
  }

  if (result.ok) {
    await markSent(services.db, alert.id, result.ref, services.now());
    return 'sent';
  }
  if (signal?.aborted) {
    // The worker is stopping: not the tool's failure, so no attempt is spent. Another process sends it.
    await releaseAlert(services.db, alert.id, { status: 'pending', notBefore: now }, now);
    await enqueueSendJobs(services.db, [{ id: alert.id, runAt: now }]);
    return 'released';
  }
  const attempts = alert.attempts + 1;
  const retryAt =
    result.retry && attempts < MAX_SEND_ATTEMPTS ? new Date(now.getTime() + retryDelayMs(attempts)) : null;
  await markFailed(services.db, alert.id, `${result.code}: ${result.message}`, retryAt, now);
  if (retryAt) await enqueueSendJobs(services.db, [{ id: alert.id, runAt: retryAt }]);
  return retryAt ? 'failed' : 'dead';
}
