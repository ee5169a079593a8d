import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { dryRun } from './dry-run.js';
import { loadMappingText } from './load-mapping.js';
import { record } from './test-support.js';

const file = 'mappings/checkout-rollout.yaml';
const loaded = loadMappingText(await readFile(file, 'utf8'), file);
if (!loaded.ok) throw new Error('example plan does not load');
const plan = loaded.plan;

describe('dryRun', () => {
  const records = [
    {
      connection: 'jira',
      record: record({ key: 'CHK-1', container: 'CHK', labels: ['design'], fields: { issueType: 'Story' } }),
    },
    {
      connection: 'jira',
      record: record({ key: 'CHK-2', container: 'CHK', fields: { issueType: 'Story' } }),
    },
    { connection: 'jira', record: record({ key: 'CHK-3', container: 'CHK', fields: { issueType: 'Epic' } }) },
    {
      connection: 'github',
      record: record({
        source: 'github',
        key: 'acme/web#7',
        kind: 'pull_request',
        container: 'acme/web',
        references: ['CHK-2'],
      }),
    },
    {
      connection: 'github',
      record: record({
        source: 'github',
        key: 'acme/checkout#12',
        kind: 'pull_request',
        container: 'acme/checkout',
      }),
    },
    {
      connection: 'outlook',
      record: record({
        source: 'outlook',
        key: undefined,
        externalId: 'AAMk1',
        kind: 'message',
        title: 'Lunch?',
      }),
    },
    { connection: 'slack', record: record({ source: 'slack', key: 'C1' }) },
  ];
  const report = dryRun(plan, records);
  const caughtBy = (phase: string, connection: string) =>
    report.selectors
      .filter((s) => s.phase === phase && s.connection === connection)
      .flatMap((s) => s.caught.map((i) => i.key));

  it('places each record with the first selector that matches it', () => {
    expect(caughtBy('design', 'jira')).toEqual(['CHK-1']);
    expect(caughtBy('build', 'jira')).toEqual(['CHK-2']);
    expect(caughtBy('build', 'github')).toEqual(['acme/checkout#12']);
  });

  it('lists records a later selector also matches as shadowed', () => {
    const build = report.selectors.find((s) => s.phase === 'build' && s.connection === 'jira')!;
    expect(build.shadowed.map((i) => i.key)).toEqual(['CHK-1']);
  });

  it('follows references of records no selector caught', () => {
    expect(report.followed).toEqual([
      {
        connection: 'github',
        key: 'acme/web#7',
        title: 'Build the payment form',
        phase: 'build',
        via: 'CHK-2',
      },
    ]);
  });

  it('lists what no selector catches, by key or external id', () => {
    expect(report.uncaught.map((i) => i.key)).toEqual(['CHK-3', 'AAMk1']);
    expect(report.otherConnections).toBe(1);
  });
});
