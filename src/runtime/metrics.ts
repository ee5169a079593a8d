import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { WorkerEvents } from 'graphile-worker';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * What this process measures as it works (HTTP, webhooks, jobs). Values the database already
 * holds (inbox depth, sync lag, handoffs, alerts) are read at scrape time instead: see
 * src/api/routes/metrics.routes.ts. docs/metrics.md lists every family.
 */
export const processRegistry = new Registry();

let defaultsCollected = false;
/** Node's own metrics (CPU, memory, event-loop lag, GC): started by whoever serves /metrics. */
export function collectProcessDefaults(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: processRegistry });
}

const httpDuration = new Histogram({
  name: 'baton_http_request_duration_seconds',
  help: 'HTTP request latency by method, route pattern and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

/** `route` is the pattern (`/api/plans/:key/status`), never the raw URL: label values stay few. */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpDuration.observe({ method, route, status_code: String(status) }, seconds);
}

export type WebhookOutcome = 'accepted' | 'duplicate' | 'refused' | 'malformed' | 'unavailable';

/** Label for deliveries addressed to no configured connection: the URL's name is not trusted. */
export const UNKNOWN_CONNECTION = '(unknown)';

const webhookDeliveries = new Counter({
  name: 'baton_webhook_deliveries_total',
  help: 'Webhook deliveries received, by connection and outcome',
  labelNames: ['connection', 'outcome'] as const,
  registers: [processRegistry],
});

export function recordWebhook(connection: string, outcome: WebhookOutcome): void {
  webhookDeliveries.inc({ connection, outcome });
}

const jobDuration = new Histogram({
  name: 'baton_job_duration_seconds',
  help: 'Time a background job ran, by task and outcome (success, error)',
  labelNames: ['task', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers: [processRegistry],
});
const jobWait = new Histogram({
  name: 'baton_job_wait_seconds',
  help: 'Time a background job waited between its run_at and a worker starting it, by task',
  labelNames: ['task'] as const,
  buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [processRegistry],
});
const jobErrors = new Counter({
  name: 'baton_job_errors_total',
  help: 'Job attempts that threw (the job is retried while attempts remain), by task',
  labelNames: ['task'] as const,
  registers: [processRegistry],
});
const jobFailed = new Counter({
  name: 'baton_job_failed_total',
  help: 'Jobs that failed their last attempt and will not be retried, by task',
  labelNames: ['task'] as const,
  registers: [processRegistry],
});

/** Records job latency and failures from graphile-worker's events. */
export function observeJobs(events: WorkerEvents): void {
  const started = new Map<string, number>();
  const elapsed = (id: string) => (performance.now() - (started.get(id) ?? performance.now())) / 1000;
  events.on('job:start', ({ job }) => {
    started.set(job.id, performance.now());
    const waited = (Date.now() - new Date(job.run_at).getTime()) / 1000;
    jobWait.observe({ task: job.task_identifier }, Math.max(0, waited));
  });
  events.on('job:success', ({ job }) => {
    jobDuration.observe({ task: job.task_identifier, outcome: 'success' }, elapsed(job.id));
  });
  events.on('job:error', ({ job }) => {
    jobDuration.observe({ task: job.task_identifier, outcome: 'error' }, elapsed(job.id));
    jobErrors.inc({ task: job.task_identifier });
  });
  events.on('job:failed', ({ job }) => jobFailed.inc({ task: job.task_identifier }));
  events.on('job:complete', ({ job }) => started.delete(job.id));
}

/** An event emitter for `run({ events })` with the job metrics already listening. */
export function observedJobEvents(): WorkerEvents {
  const events = new EventEmitter() as WorkerEvents;
  observeJobs(events);
  return events;
}
