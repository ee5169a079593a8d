import { type Options, type Params, SingleBar } from 'cli-progress';
import type { SyncProgress } from '../jobs/sync-connection.js';

/** A page's progress; `total` only when the connector can say how many items there are. */
export type SyncPageProgress = SyncProgress & { total?: number };

export interface SyncReporter {
  page(progress: SyncPageProgress): void;
  finish(): void;
}

interface Payload {
  name: string;
  pages: number;
  changed: number;
  rate: number;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line of the bar: with a total, a bar and ETA; without one, items, pages and rate only. */
export function renderBar(_options: Options, params: Params, payload: Payload): string {
  const counts = `${payload.pages} pages | ${payload.changed} changed | ${payload.rate} items/s`;
  if (params.total > 0) {
    const width = 24;
    const done = Math.round(Math.min(1, params.progress) * width);
    const bar = `${'='.repeat(done)}${'-'.repeat(width - done)}`;
    return `${payload.name} [${bar}] ${params.value}/${params.total} items | ${counts} | ETA ${formatSeconds(params.eta)}`;
  }
  const elapsed = formatSeconds((Date.now() - params.startTime) / 1000);
  return `${payload.name} ${params.value} items | ${counts} | ${elapsed}`;
}

/**
 * `baton sync` progress: a live bar on a terminal, plain lines otherwise (logs, CI, pipes keep
 * one line per page). No connector reports a total yet, so today the bar shows items, pages
 * and rate; ETA appears for a connector that passes `total`.
 */
export function syncReporter(
  name: string,
  out: NodeJS.WriteStream = process.stdout,
  clock: () => number = Date.now,
): SyncReporter {
  const started = clock();
  const rate = (records: number) => Math.round(records / Math.max(0.001, (clock() - started) / 1000));
  if (!out.isTTY) {
    return {
      page: (p) => {
        out.write(
          `${name}: ${p.pages} pages, ${p.records} records, ${p.applied} changed, ${rate(p.records)} records/s\n`,
        );
      },
      finish() {},
    };
  }
  const bar = new SingleBar({ format: renderBar, stream: out, hideCursor: true, etaBuffer: 20 });
  bar.start(0, 0, { name, pages: 0, changed: 0, rate: 0 } satisfies Payload);
  return {
    page(p) {
      if (p.total !== undefined && p.total > 0) bar.setTotal(p.total);
      bar.update(p.records, { name, pages: p.pages, changed: p.applied, rate: rate(p.records) });
    },
    finish: () => bar.stop(),
  };
}
