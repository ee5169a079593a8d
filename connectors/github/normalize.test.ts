import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../src/domain/source-record.js';
import { normalizeItem } from './normalize.js';
import { fixture, fixtureText, githubContext, storedDelivery } from './test-support.js';
import { parseDelivery } from './webhook-parse.js';

/** Fixture in → SourceRecord out, compared with a reviewed snapshot (DevLake's data-flow tests). */
const snapshot = (name: string) => `./fixtures/expected/${name}.json`;
const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function fromDelivery(event: string, file: string, settings: Record<string, unknown> = {}) {
  const ctx = githubContext(settings);
  const result = await parseDelivery(
    storedDelivery(event, fixtureText(file), new Date('2024-05-23T12:00:00Z')),
    ctx,
  );
  if (result.kind !== 'records') throw new Error(`expected records, got ${JSON.stringify(result)}`);
  for (const record of result.records) SourceRecord.parse(record);
  return result.records;
}

describe('normalising polled issues and pull requests', () => {
  const [issue, prIssue] = fixture('rest/issues-page.json');

  it('turns an assigned issue and its timeline into a record with assignment and command activity', async () => {
    const record = normalizeItem({
      repo: 'acme/checkout',
      issue,
      timeline: fixture('rest/issue-41-timeline.json'),
    });
    expect(SourceRecord.parse(record)).toBeTruthy();
    expect(record.state).toEqual({ raw: 'open', category: 'in_progress' });
    expect(record.references).toEqual(['CHK-12']);
    expect(record.fields).toEqual({ repo: 'acme/checkout', number: 41, milestone: 'Beta' });
    expect(record.activity.map((a) => [a.kind, a.actor?.id, a.target?.id, a.detail])).toEqual([
      ['assigned', 'alice', 'bob', undefined],
      // The bot's comment and Baton's own alert do not count as someone acting.
      ['commented', 'bob', undefined, { command: 'snooze 1d' }],
    ]);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('issue-41'));
  });

  it('turns a pull request with requested reviewers, reviews and a Jira key in its branch into a record', async () => {
    const record = normalizeItem({
      repo: 'acme/checkout',
      issue: prIssue,
      pull: fixture('rest/pull-42.json'),
      timeline: fixture('rest/pull-42-timeline.json'),
    });
    expect(record.kind).toBe('pull_request');
    expect(record.state).toEqual({ raw: 'open', category: 'in_progress' });
    expect(record.references).toEqual(['CHK-12']);
    expect(record.reviewers.map((r) => r.id)).toEqual(['carol', 'team:payments-reviewers', 'dave']);
    expect(record.fields).toMatchObject({
      headRef: 'feature/CHK-12-apple-pay',
      baseRef: 'main',
      draft: false,
      merged: false,
    });
    expect(record.activity.map((a) => [a.id, a.kind, a.actor?.id, a.target?.id, a.detail?.state])).toEqual([
      ['event:12811000101', 'review_requested', 'alice', 'dave', undefined],
      ['event:12811000102', 'review_requested', 'alice', 'team:payments-reviewers', undefined],
      ['review:1960033417', 'reviewed', 'dave', undefined, 'changes_requested'],
      ['comment:2127003311', 'commented', 'alice', undefined, undefined],
      ['event:12811000177', 'review_requested', 'alice', 'carol', undefined],
      ['review:1960041888', 'reviewed', 'dave', undefined, 'approved'],
    ]);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('pull-42'));
  });
});

describe('normalising webhook deliveries', () => {
  it('records a review request with the PR update time and the requested reviewer as target', async () => {
    const [record] = await fromDelivery('pull_request', 'webhooks/pull_request.review_requested.json');
    expect(record.activity).toEqual([
      {
        id: 'review_requested:alice:carol:2024-05-22T09:15:02Z',
        kind: 'review_requested',
        actor: { tool: 'github', id: 'alice' },
        target: { tool: 'github', id: 'carol' },
        at: '2024-05-22T09:15:02Z',
      },
    ]);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('pull_request.review_requested'));
  });

  it('records an approving review with the review id the timeline also uses', async () => {
    const [record] = await fromDelivery(
      'pull_request_review',
      'webhooks/pull_request_review.submitted.approved.json',
    );
    expect(record.activity).toEqual([
      {
        id: 'review:1960041888',
        kind: 'reviewed',
        actor: { tool: 'github', id: 'dave' },
        at: '2024-05-22T14:31:09Z',
        detail: { state: 'approved' },
      },
    ]);
    expect(record.reviewers.map((r) => r.id)).toEqual(['carol', 'dave']);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('pull_request_review.approved'));
  });

  it('records a review that requests changes', async () => {
    const [record] = await fromDelivery(
      'pull_request_review',
      'webhooks/pull_request_review.submitted.changes_requested.json',
    );
    expect(record.activity.map((a) => [a.kind, a.actor?.id, a.detail?.state])).toEqual([
      ['reviewed', 'dave', 'changes_requested'],
    ]);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('pull_request_review.changes_requested'));
  });

  it('records a merged pull request as done, with merge and close activity', async () => {
    const [record] = await fromDelivery('pull_request', 'webhooks/pull_request.closed.merged.json');
    expect(record.state).toEqual({ raw: 'merged', category: 'done' });
    expect(record.fields.merged).toBe(true);
    expect(record.activity.map((a) => [a.kind, a.actor?.id, a.at])).toEqual([
      ['merged', 'alice', '2024-05-22T16:05:44Z'],
      ['closed', 'alice', '2024-05-22T16:05:44Z'],
    ]);
    await expect(asJson(record)).toMatchFileSnapshot(snapshot('pull_request.closed.merged'));
  });

  it('turns a deleted issue into a tombstone', async () => {
    const records = await fromDelivery('issues', 'webhooks/issues.deleted.json');
    expect(records).toEqual([
      expect.objectContaining({
        externalId: 'acme/checkout#44',
        deleted: true,
        updatedAt: '2024-05-23T12:00:00.000Z',
      }),
    ]);
  });

  it('tombstones a transferred issue, and records it in its new repository when that one is configured', async () => {
    const away = await fromDelivery('issues', 'webhooks/issues.transferred.json');
    expect(away.map((r) => [r.externalId, r.deleted])).toEqual([['acme/checkout#43', true]]);
    const within = await fromDelivery('issues', 'webhooks/issues.transferred.json', {
      repos: ['acme/checkout', 'acme/payments'],
    });
    expect(within.map((r) => [r.externalId, r.deleted])).toEqual([
      ['acme/checkout#43', true],
      ['acme/payments#7', false],
    ]);
  });

  it('keeps a /baton command from an issue comment as commented activity with the command', async () => {
    const [record] = await fromDelivery('issue_comment', 'webhooks/issue_comment.created.json');
    expect(record.activity).toEqual([
      {
        id: 'comment:2125977301',
        kind: 'commented',
        actor: { tool: 'github', id: 'bob' },
        at: '2024-05-21T09:02:40Z',
        detail: { command: 'ack' },
      },
    ]);
  });

  it('records a review comment on a pull request as commented activity with its own id', async () => {
    const { pull_request, repository, sender } = fixture('webhooks/pull_request.review_requested.json');
    const [comment] = fixture('rest/pull-42-timeline.json').filter(
      (e: { event: string }) => e.event === 'commented',
    );
    const payload = {
      action: 'created',
      comment: { ...comment, id: 1609958822, pull_request_review_id: 1960033417, path: 'src/pay.ts' },
      pull_request,
      repository,
      sender,
    };
    const result = await parseDelivery(
      storedDelivery('pull_request_review_comment', JSON.stringify(payload)),
      githubContext(),
    );
    expect(result.kind === 'records' && result.records[0].activity).toEqual([
      {
        id: 'review-comment:1609958822',
        kind: 'commented',
        actor: { tool: 'github', id: 'alice' },
        at: '2024-05-22T09:14:55Z',
      },
    ]);
  });

  it('records an assignment with the sender as actor and the assignee as target', async () => {
    const [record] = await fromDelivery('issues', 'webhooks/issues.assigned.json');
    expect(record.state.category).toBe('in_progress');
    expect(record.activity.map((a) => [a.kind, a.actor?.id, a.target?.id, a.at])).toEqual([
      ['assigned', 'alice', 'bob', '2024-05-20T08:13:02Z'],
    ]);
  });
});

describe('state categories', () => {
  const base = fixture('rest/issues-page.json')[0];
  it.each([
    [{ state: 'open', assignees: [] }, 'open', 'todo'],
    [{ state: 'closed', state_reason: 'completed' }, 'closed', 'done'],
    [{ state: 'closed', state_reason: 'not_planned' }, 'closed', 'cancelled'],
    [{ state: 'closed', state_reason: 'duplicate' }, 'closed', 'cancelled'],
    [{ state: 'closed', state_reason: null }, 'closed', 'done'],
    [{ state: 'open', draft: true, pull_request: { merged_at: null } }, 'draft', 'in_progress'],
    [{ state: 'closed', pull_request: { merged_at: null } }, 'closed', 'cancelled'],
    [{ state: 'closed', pull_request: { merged_at: '2024-05-22T16:05:44Z' } }, 'merged', 'done'],
  ])('classifies %j as %s / %s', (change, raw, category) => {
    const record = normalizeItem({ repo: 'acme/checkout', issue: { ...base, ...change } });
    expect(record.state).toEqual({ raw, category });
  });
});
