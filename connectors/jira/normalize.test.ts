import { readFileSync } from 'node:fs';
import { SearchAndReconcileResultsSchema } from 'jira.js/cloud';
import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../src/domain/source-record.js';
import type { NormalizeOptions } from './config.js';
import { normalizeIssue } from './normalize.js';
import type { JiraIssue } from './wire.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const page = fixture('search-approval-page.json') as { issues: JiraIssue[] };
const [chk42, ops7] = page.issues;

const options: NormalizeOptions = {
  siteUrl: 'https://acme.atlassian.net',
  approvalStatuses: ['Awaiting approval'],
  extraFields: ['customfield_10020'],
};
const OMAR = '5b10ac8d82e05b22cc7d4ef5';
const PRIYA = '712020:8e4d2c1b-7f6a-4b3c-a2d1-9e8f7a6b5c4d';
const MIA = '712020:3f7b8c1e-5a2d-4e8f-9b6a-1c2d3e4f5a6b';
const RAVI = '712020:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const brief = (record: SourceRecord) =>
  record.activity.map((a) => [
    a.id,
    a.kind,
    a.actor?.id ?? null,
    a.target?.id ?? null,
    a.detail?.decision ?? null,
  ]);

describe('normalizeIssue', () => {
  it('turns a searched issue into a SourceRecord (snapshot)', async () => {
    const record = normalizeIssue(chk42, options);
    expect(() => SourceRecord.parse(record)).not.toThrow();
    await expect(JSON.stringify(record, null, 2)).toMatchFileSnapshot(
      './fixtures/snapshots/chk-42.record.json',
    );
  });

  it('maps identity, state, times, container, parent, references and fields', () => {
    const record = normalizeIssue(chk42, options);
    expect(record).toMatchObject({
      source: 'jira',
      externalId: '10042',
      key: 'CHK-42',
      url: 'https://acme.atlassian.net/browse/CHK-42',
      kind: 'issue',
      title: 'Approve payment provider switch (follows CHK-17)',
      state: { raw: 'Done', category: 'done' },
      author: { tool: 'jira', id: MIA, name: 'Mia Chen', email: 'mia.chen@acme.example' },
      assignees: [{ tool: 'jira', id: PRIYA, name: 'Priya Nair' }],
      labels: ['payments', 'q3'],
      container: 'CHK',
      parent: 'CHK-1',
      createdAt: '2024-06-03T07:12:44.120Z',
      updatedAt: '2024-06-07T14:05:10.431Z',
      dueAt: '2024-07-15T23:59:59.999Z',
      fields: {
        project: 'CHK',
        issueType: 'Story',
        priority: 'High',
        status: 'Done',
        statusCategory: 'done',
        components: ['Payments'],
        fixVersions: ['2024.07'],
        parent: 'CHK-1',
        epic: 'CHK-1',
        resolution: 'Done',
        customfield_10020: ['CHK Sprint 12'],
      },
    });
    expect(record.assignees[0].email).toBeUndefined();
    expect(record.references.sort()).toEqual(['CHK-17', 'OPS-7']);
  });

  it('reads assignments, transitions and the approval round trip from the changelog', () => {
    expect(brief(normalizeIssue(chk42, options))).toEqual([
      ['created', 'created', MIA, null, null],
      ['history:10501:0', 'assigned', MIA, OMAR, null],
      ['history:10502:0', 'transitioned', OMAR, null, null],
      ['history:10503:1', 'assigned', OMAR, PRIYA, null],
      ['history:10503:0', 'transitioned', OMAR, null, null],
      ['history:10503:0:approval_requested', 'approval_requested', OMAR, PRIYA, null],
      ['comment:10601', 'commented', MIA, PRIYA, null],
      ['history:10504:1', 'assigned', PRIYA, OMAR, null],
      ['history:10504:0', 'transitioned', PRIYA, null, null],
      ['history:10504:0:decided', 'decided', PRIYA, null, 'changes_requested'],
      ['history:10505:1', 'assigned', OMAR, PRIYA, null],
      ['history:10505:0', 'transitioned', OMAR, null, null],
      ['history:10505:0:approval_requested', 'approval_requested', OMAR, PRIYA, null],
      ['history:10506:1', 'transitioned', PRIYA, null, null],
      ['history:10506:1:decided', 'decided', PRIYA, null, 'approved'],
    ]);
  });

  it('keeps from/to status names on transitions and a comment excerpt', () => {
    const record = normalizeIssue(chk42, options);
    expect(record.activity.find((a) => a.id === 'history:10504:0')?.detail).toEqual({
      from: 'Awaiting approval',
      to: 'In Progress',
    });
    expect(record.activity.find((a) => a.id === 'comment:10601')?.detail?.excerpt).toBe(
      '@Priya Nair the vendor contract is attached, can you approve before Friday?',
    );
  });

  it('asks the person in the approver field when one is configured', () => {
    const record = normalizeIssue(chk42, { ...options, approverField: 'customfield_10050' });
    const requested = record.activity.filter((a) => a.kind === 'approval_requested');
    expect(requested.map((a) => a.target)).toEqual([
      { tool: 'jira', id: RAVI, name: 'Ravi Kumar', email: 'ravi.kumar@acme.example' },
      { tool: 'jira', id: RAVI, name: 'Ravi Kumar', email: 'ravi.kumar@acme.example' },
    ]);
    expect(record.fields.approver).toBe(RAVI);
  });

  it("reads a Won't Do resolution as cancelled and a move to Rejected as a rejection", () => {
    const record = normalizeIssue(ops7, options);
    expect(record.state).toEqual({ raw: 'Rejected', category: 'cancelled' });
    expect(record.assignees).toEqual([]);
    expect(record.references).toEqual(['CHK-42']);
    const decided = record.activity.find((a) => a.kind === 'decided');
    expect(decided).toMatchObject({ actor: { id: MIA }, detail: { decision: 'rejected', to: 'Rejected' } });
    // Nobody was assigned when approval was asked: the request names no one.
    expect(record.activity.find((a) => a.kind === 'approval_requested')?.target).toBeUndefined();
  });

  it('gives the same record from the response jira.js validated (dates coerced) as from the raw JSON', () => {
    const parsed = SearchAndReconcileResultsSchema.parse(structuredClone(page)).issues as JiraIssue[];
    const { raw: _a, ...fromClient } = normalizeIssue(parsed[0], options);
    const { raw: _b, ...fromJson } = normalizeIssue(chk42, options);
    expect(fromClient).toEqual(fromJson);
  });
});
