import { fileURLToPath } from 'node:url';
import driveConnector from '../connectors/drive/index.js';
import { startDriveSimulator } from '../connectors/drive/simulator.js';
import githubConnector from '../connectors/github/index.js';
import { startGitHubSimulator } from '../connectors/github/simulator.js';
import jiraConnector from '../connectors/jira/index.js';
import { startJiraSimulator } from '../connectors/jira/simulator.js';
import outlookSeed from '../connectors/outlook/fixtures/simulator-seed.json' with { type: 'json' };
import outlookConnector from '../connectors/outlook/index.js';
import { startOutlookSimulator } from '../connectors/outlook/simulator.js';
import type { Connector } from '../src/connectors/kit/contract.js';
import { collectPull, contextFor } from '../src/connectors/kit/harness.js';

/**
 * `api-calls`: after a full pull, an incremental poll of each connector when nothing changed.
 * Target: at most one request per scope (repo, JQL, folder, mailbox folder); GitHub's answered
 * 304 (free against the rate limit). Requests are counted by each simulator.
 */
interface Probe {
  kind: string;
  connector: Connector;
  settings: Record<string, unknown>;
  scopes: number;
  requests(): number;
  notModified?(): boolean;
  stop(): Promise<void>;
}

async function measure(probe: Probe) {
  const known = new Set<string>();
  const ctx = contextFor(probe.connector, probe.settings, known);
  const first = await collectPull(probe.connector, ctx, null);
  for (const r of first.records) if (!r.deleted) known.add(r.externalId);
  const before = probe.requests();
  const again = await collectPull(probe.connector, ctx, first.cursor);
  const used = probe.requests() - before;
  return { records: first.records.length, changed: again.records.length, perScope: used / probe.scopes };
}

async function githubProbe(): Promise<Probe> {
  const sim = await startGitHubSimulator({ generate: { repo: 'acme/checkout', items: 200 } });
  return {
    kind: 'github',
    connector: githubConnector as Connector,
    settings: { ...sim.connectionSettings(), webhookSecret: 'x', reconcileEveryHours: 24 },
    scopes: 1,
    requests: () => sim.requests.length,
    notModified: () => sim.requests.at(-1)?.status === 304,
    stop: () => sim.stop(),
  };
}

async function jiraProbe(): Promise<Probe> {
  const sim = await startJiraSimulator({ generate: { count: 300, seed: 3 } });
  return {
    kind: 'jira',
    connector: jiraConnector as Connector,
    settings: { ...sim.connectionSettings(), jql: 'project in (CHK, OPS)', reconcileEveryHours: 24 },
    scopes: 1,
    requests: () => sim.requests.length,
    stop: () => sim.stop(),
  };
}

async function outlookProbe(): Promise<Probe> {
  const sim = await startOutlookSimulator({ seed: outlookSeed as never });
  const settings = sim.connectionSettings() as { mailboxes: { folders?: string[]; calendars?: boolean }[] };
  const scopes = settings.mailboxes.reduce(
    (n, m) => n + (m.folders?.length ?? 2) + (m.calendars === false ? 0 : 1),
    0,
  );
  return {
    kind: 'outlook',
    connector: outlookConnector as Connector,
    settings,
    scopes,
    requests: () => sim.requests.length,
    stop: () => sim.stop(),
  };
}

async function driveProbe(): Promise<Probe> {
  const sim = await startDriveSimulator({
    seed: {
      files: [
        { id: 'root-folder', name: 'Checkout rollout', mimeType: 'application/vnd.google-apps.folder' },
        ...Array.from({ length: 40 }, (_, i) => ({
          id: `doc-${i}`,
          name: `Spec ${i}`,
          mimeType: 'application/vnd.google-apps.document',
          parents: ['root-folder'],
          modifiedTime: '2026-11-20T10:00:00.000Z',
          createdTime: '2026-11-01T10:00:00.000Z',
        })),
      ],
    },
  });
  return {
    kind: 'drive',
    connector: driveConnector as Connector,
    settings: sim.connectionSettings(),
    scopes: 1,
    requests: () => sim.requests.length,
    stop: () => sim.stop(),
  };
}

export async function run() {
  const summary: Record<string, unknown> = { bench: 'api-calls' };
  for (const start of [githubProbe, jiraProbe, outlookProbe, driveProbe]) {
    const probe = await start();
    try {
      const result = await measure(probe);
      summary[`${probe.kind}_requests_per_scope`] = Math.round(result.perScope * 100) / 100;
      summary[`${probe.kind}_records`] = result.records;
      summary[`${probe.kind}_changed_on_repoll`] = result.changed;
      if (probe.notModified) summary.github_not_modified = probe.notModified();
    } finally {
      await probe.stop();
    }
  }
  return summary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
  process.exit(0);
}
