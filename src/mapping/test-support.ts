import type { SourceRecord } from '../domain/source-record.js';

/** Helpers for this module's tests (not loaded by production code). */

/** A small valid mapping file; tests replace one line at a time to break it. Line numbers matter. */
export const minimalMapping = `version: 1
type: plan
plan:
  key: demo
  title: Demo
  outcome: Something ships
  owner: ana
people:
  - key: ana
    name: Ana
  - key: ben
    name: Ben
phases:
  - key: build
    name: Build
    owner: ana
  - key: launch
    name: Launch
    owner: ben
    depends_on: [build]
rules:
  - type: selector
    connection: jira
    phase: build
    when: { field: labels, equals: build }
`;

/** minimalMapping with `find` replaced by `replace`; fails loudly when `find` is not there. */
export function mutate(find: string, replace: string, text = minimalMapping): string {
  if (!text.includes(find)) throw new Error(`test bug: ${JSON.stringify(find)} is not in the mapping`);
  return text.replace(find, replace);
}

export function record(overrides: Partial<SourceRecord> = {}): SourceRecord {
  return {
    source: 'jira',
    externalId: '10001',
    key: 'CHK-1',
    kind: 'issue',
    title: 'Build the payment form',
    state: { raw: 'In Progress', category: 'in_progress' },
    assignees: [],
    reviewers: [],
    labels: [],
    references: [],
    createdAt: '2026-09-01T09:00:00Z',
    updatedAt: '2026-09-02T09:00:00Z',
    deleted: false,
    fields: {},
    activity: [],
    ...overrides,
  };
}
