import { describe, expect, it } from 'vitest';
import { gh, record, testPlan } from '../../test/support/plan-fixture.js';
import { deriveHandoffs } from './derive-handoffs.js';

const plan = testPlan();
const pr = (activity: Parameters<typeof record>[0]['activity'], extra = {}) =>
  record({
    externalId: 'acme/checkout#7',
    source: 'github',
    kind: 'pull_request',
    author: gh('mayachen'),
    state: { raw: 'open', category: 'in_progress' },
    activity,
    ...extra,
  });

describe('deriving handoffs and approvals from activity', () => {
  it('opens a review handoff and a pending approval when a review is requested', () => {
    const result = deriveHandoffs(
      plan,
      'github',
      pr([
        {
          id: '1',
          kind: 'review_requested',
          actor: gh('mayachen'),
          target: gh('rajp'),
          at: '2026-11-02T10:00:00Z',
        },
      ]),
    );
    expect(result.handoffs).toMatchObject([
      { kind: 'review', from: { person: 'maya' }, to: { person: 'raj' }, closedAt: null },
    ]);
    expect(result.approvals).toMatchObject([{ approver: { person: 'raj' }, status: 'pending' }]);
  });

  it('grants the approval and closes the handoff on an approving review', () => {
    const result = deriveHandoffs(
      plan,
      'github',
      pr([
        {
          id: '1',
          kind: 'review_requested',
          actor: gh('mayachen'),
          target: gh('rajp'),
          at: '2026-11-02T10:00:00Z',
        },
        {
          id: '2',
          kind: 'reviewed',
          actor: gh('rajp'),
          at: '2026-11-02T12:00:00Z',
          detail: { state: 'approved' },
        },
      ]),
    );
    expect(result.handoffs[0]).toMatchObject({ closedAt: '2026-11-02T12:00:00Z', closeReason: 'reviewed' });
    expect(result.approvals[0]).toMatchObject({ status: 'approved', decidedAt: '2026-11-02T12:00:00Z' });
  });

  it('hands the ball back to the author when changes are requested', () => {
    const result = deriveHandoffs(
      plan,
      'github',
      pr([
        {
          id: '1',
          kind: 'review_requested',
          actor: gh('mayachen'),
          target: gh('rajp'),
          at: '2026-11-02T10:00:00Z',
        },
        {
          id: '2',
          kind: 'reviewed',
          actor: gh('rajp'),
          at: '2026-11-02T12:00:00Z',
          detail: { state: 'changes_requested' },
        },
      ]),
    );
    const open = result.handoffs.filter((h) => h.closedAt === null);
    expect(open).toMatchObject([{ kind: 'changes', from: { person: 'raj' }, to: { person: 'maya' } }]);
    expect(result.approvals[0].status).toBe('changes_requested');
  });

  it("closes the previous assignee's handoff on reassignment and opens one for the new assignee", () => {
    const result = deriveHandoffs(
      plan,
      'jira',
      record({
        externalId: '1001',
        activity: [
          {
            id: 'a',
            kind: 'assigned',
            actor: { tool: 'jira', id: 'acc-maya' },
            target: { tool: 'jira', id: 'acc-raj' },
            at: '2026-11-02T10:00:00Z',
          },
          {
            id: 'b',
            kind: 'assigned',
            actor: { tool: 'jira', id: 'acc-maya' },
            target: { tool: 'github', id: 'obrown' },
            at: '2026-11-03T10:00:00Z',
          },
        ],
      }),
    );
    expect(result.handoffs.map((h) => [h.to.person, h.closeReason])).toEqual([
      ['raj', 'reassigned'],
      ['olivia', null],
    ]);
  });

  it('does not open a handoff when someone assigns work to themselves', () => {
    const result = deriveHandoffs(
      plan,
      'jira',
      record({
        externalId: '1002',
        activity: [
          {
            id: 'a',
            kind: 'assigned',
            actor: { tool: 'jira', id: 'acc-raj' },
            target: { tool: 'jira', id: 'acc-raj' },
            at: '2026-11-02T10:00:00Z',
          },
        ],
      }),
    );
    expect(result.handoffs).toEqual([]);
  });

  it('closes an assignment when the assignee acts on the item', () => {
    const result = deriveHandoffs(
      plan,
      'jira',
      record({
        externalId: '1003',
        activity: [
          {
            id: 'a',
            kind: 'assigned',
            actor: { tool: 'jira', id: 'acc-maya' },
            target: { tool: 'jira', id: 'acc-raj' },
            at: '2026-11-02T10:00:00Z',
          },
          { id: 'b', kind: 'commented', actor: { tool: 'jira', id: 'acc-raj' }, at: '2026-11-02T11:00:00Z' },
        ],
      }),
    );
    expect(result.handoffs[0]).toMatchObject({ closedAt: '2026-11-02T11:00:00Z', closeReason: 'acted' });
  });

  it("decides an emailed approval from the approver's reply", () => {
    const mail = record({
      externalId: 'conv-1',
      source: 'outlook',
      kind: 'message',
      author: { tool: 'outlook', id: 'maya@acme.test' },
      activity: [
        {
          id: 'm1',
          kind: 'approval_requested',
          actor: { tool: 'outlook', id: 'maya@acme.test' },
          target: { tool: 'outlook', id: 'olivia@acme.test' },
          at: '2026-11-02T10:00:00Z',
        },
        {
          id: 'm2',
          kind: 'decided',
          actor: { tool: 'outlook', id: 'olivia@acme.test' },
          at: '2026-11-03T09:00:00Z',
          detail: { decision: 'rejected' },
        },
      ],
    });
    const result = deriveHandoffs(plan, 'outlook', mail);
    expect(result.approvals).toMatchObject([
      { approver: { person: 'olivia' }, requester: { person: 'maya' }, status: 'rejected' },
    ]);
    expect(result.handoffs).toMatchObject([{ kind: 'approval', closeReason: 'decided' }]);
  });

  it('leaves nobody waiting on a merged pull request', () => {
    const result = deriveHandoffs(
      plan,
      'github',
      pr(
        [
          {
            id: '1',
            kind: 'review_requested',
            actor: gh('mayachen'),
            target: gh('rajp'),
            at: '2026-11-02T10:00:00Z',
          },
        ],
        { state: { raw: 'merged', category: 'done' }, updatedAt: '2026-11-04T10:00:00Z' },
      ),
    );
    expect(result.handoffs[0]).toMatchObject({
      closedAt: '2026-11-04T10:00:00Z',
      closeReason: 'item_closed',
    });
    expect(result.approvals[0].status).toBe('cancelled');
  });

  it('opens a document-comment handoff until the comment is resolved', () => {
    const file = record({
      externalId: 'file-1',
      source: 'drive',
      kind: 'file',
      activity: [
        {
          id: 'c1',
          kind: 'comment_assigned',
          actor: { tool: 'drive', id: 'maya@acme.test' },
          target: { tool: 'drive', id: 'raj@acme.test' },
          at: '2026-11-02T10:00:00Z',
        },
        {
          id: 'c2',
          kind: 'comment_resolved',
          actor: { tool: 'drive', id: 'raj@acme.test' },
          at: '2026-11-02T15:00:00Z',
        },
      ],
    });
    expect(deriveHandoffs(plan, 'drive', file).handoffs).toMatchObject([
      { kind: 'comment', to: { person: 'raj' }, closeReason: 'resolved' },
    ]);
  });
});

describe('document comment threads', () => {
  const drive = (id: string) => ({ tool: 'drive', id });
  const file = (activity: Parameters<typeof record>[0]['activity']) =>
    record({ externalId: 'file-2', source: 'drive', kind: 'file', activity });

  it('resolving one thread leaves the other thread waiting', () => {
    const result = deriveHandoffs(
      plan,
      'drive',
      file([
        {
          id: 'a',
          kind: 'comment_assigned',
          actor: drive('maya@acme.test'),
          target: drive('raj@acme.test'),
          at: '2026-11-02T10:00:00Z',
          detail: { commentId: 'c1' },
        },
        {
          id: 'b',
          kind: 'comment_assigned',
          actor: drive('maya@acme.test'),
          target: drive('olivia@acme.test'),
          at: '2026-11-02T10:05:00Z',
          detail: { commentId: 'c2' },
        },
        {
          id: 'c',
          kind: 'comment_resolved',
          actor: drive('maya@acme.test'),
          at: '2026-11-02T11:00:00Z',
          detail: { commentId: 'c1' },
        },
      ]),
    );
    expect(result.handoffs.map((h) => [h.thread, h.to.person, h.closeReason])).toEqual([
      ['c1', 'raj', 'resolved'],
      ['c2', 'olivia', null],
    ]);
  });

  it("reassigning a thread closes the earlier assignee's handoff", () => {
    const result = deriveHandoffs(
      plan,
      'drive',
      file([
        {
          id: 'a',
          kind: 'comment_assigned',
          actor: drive('maya@acme.test'),
          target: drive('raj@acme.test'),
          at: '2026-11-02T10:00:00Z',
          detail: { commentId: 'c1' },
        },
        {
          id: 'b',
          kind: 'comment_assigned',
          actor: drive('maya@acme.test'),
          target: drive('olivia@acme.test'),
          at: '2026-11-02T12:00:00Z',
          detail: { commentId: 'c1' },
        },
      ]),
    );
    expect(result.handoffs.map((h) => [h.to.person, h.closeReason])).toEqual([
      ['raj', 'reassigned'],
      ['olivia', null],
    ]);
  });

  it('closes an approval handoff when the request is withdrawn', () => {
    const result = deriveHandoffs(
      plan,
      'drive',
      file([
        {
          id: 'a',
          kind: 'approval_requested',
          actor: drive('maya@acme.test'),
          target: drive('raj@acme.test'),
          at: '2026-11-02T10:00:00Z',
        },
        {
          id: 'b',
          kind: 'review_request_removed',
          actor: drive('maya@acme.test'),
          target: drive('raj@acme.test'),
          at: '2026-11-02T12:00:00Z',
        },
      ]),
    );
    expect(result.handoffs[0]).toMatchObject({ kind: 'approval', closeReason: 'request_removed' });
    expect(result.approvals[0].status).toBe('cancelled');
  });
});

describe('commands to Baton left in the tool', () => {
  it('does not count a `/baton snooze` comment as the receiver picking the work up', () => {
    const result = deriveHandoffs(
      plan,
      'jira',
      record({
        externalId: '1004',
        activity: [
          {
            id: 'a',
            kind: 'assigned',
            actor: { tool: 'jira', id: 'acc-maya' },
            target: { tool: 'jira', id: 'acc-raj' },
            at: '2026-11-02T10:00:00Z',
          },
          {
            id: 'b',
            kind: 'commented',
            actor: { tool: 'jira', id: 'acc-raj' },
            at: '2026-11-02T11:00:00Z',
            detail: { command: 'snooze 1d' },
          },
        ],
      }),
    );
    expect(result.handoffs[0]).toMatchObject({ closedAt: null });
  });
});
