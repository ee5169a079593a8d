import type { TaskList } from 'graphile-worker';
import type { BatonServices } from '../runtime/services.js';
import { evaluateSlas } from './evaluate-slas.js';
import type { JobScheduler } from './scheduler.js';
import { sendAlert } from './send-alerts.js';

/** Every minute; `?max=1` drops backfills after downtime: one pass catches up with everything due. */
export const SLA_CRONTAB = '* * * * * evaluate_slas ?max=1';

/** The stalled-handoff tasks: the evaluation pass and one send per alert. */
export function slaTasks(services: BatonServices, options: { fetch?: typeof fetch } = {}): TaskList {
  const { log } = services;
  return {
    async evaluate_slas() {
      const result = await evaluateSlas(services);
      if (result.alerts > 0 || result.requeued > 0) log.info(result, 'handoff SLAs evaluated');
    },

    async send_alert(payload, helpers) {
      const id = String((payload as { alert: string | number }).alert);
      const outcome = await sendAlert({ ...services, fetch: options.fetch }, id, helpers.abortSignal);
      if (outcome === 'failed' || outcome === 'dead') log.warn({ alert: id, outcome }, 'alert not delivered');
    },
  };
}

/**
 * Asks for an evaluation pass soon after ingest touched handoffs. One job key: a burst of
 * polls and drains queues one pass, not one per batch.
 */
export async function evaluateSoon(scheduler: JobScheduler): Promise<void> {
  await scheduler.add('evaluate_slas', {}, { jobKey: 'evaluate_slas', jobKeyMode: 'preserve_run_at' });
}
