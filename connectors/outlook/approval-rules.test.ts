import { describe, expect, it } from 'vitest';
import {
  approvalState,
  approvalTitle,
  isConversationRoot,
  itemKeys,
  matchesApprovalRule,
  recognizeDecision,
} from './approval-rules.js';
import { OutlookConfig } from './config.js';

const approval = OutlookConfig.parse({ accessToken: 't', mailboxes: [{ user: 'pm@contoso.com' }] }).approval;
const words = approval.decisionWords;

describe('approval reply recognition', () => {
  it.each([
    ['Approved', 'approved'],
    ['Approved.', 'approved'],
    ['approve', 'approved'],
    ['LGTM!', 'approved'],
    ['Approved go ahead', 'approved'],
    ['Looks good to me, ship it', 'approved'],
    ['Rejected - budget is frozen', 'rejected'],
    ['Declined.', 'rejected'],
    ['No', 'rejected'],
    ['No, not this quarter', 'rejected'],
    ['Changes requested: add the rollback plan', 'changes_requested'],
    ['Needs changes', 'changes_requested'],
  ])('reads "%s" as %s', (line, decision) => {
    expect(recognizeDecision(line, [], words)).toBe(decision);
  });

  it.each([
    ['No problem, I will look tomorrow'],
    ['Not approved yet, still reading'],
    ['Thanks, will review'],
    ['Hi Priya, approved'],
    [''],
  ])('does not read "%s" as a decision', (line) => {
    expect(recognizeDecision(line, [], words)).toBeUndefined();
  });

  it('takes the decision from a category when the first line says nothing', () => {
    expect(recognizeDecision('See my notes', ['Approved'], words)).toBe('approved');
    expect(recognizeDecision('See my notes', ['Changes requested'], words)).toBe('changes_requested');
    expect(recognizeDecision('See my notes', ['Blue category'], words)).toBeUndefined();
  });
});

describe('approval request rule', () => {
  it('matches the subject tag in any case, a configured category, or a key pattern', () => {
    const rule = { ...approval, categories: ['Needs approval'], keyPattern: 'REL-\\d+' };
    expect(matchesApprovalRule({ subject: '[approval] Budget', categories: [] }, rule)).toBe(true);
    expect(matchesApprovalRule({ subject: 'Budget', categories: ['needs APPROVAL'] }, rule)).toBe(true);
    expect(matchesApprovalRule({ subject: 'Sign-off for REL-12', categories: [] }, rule)).toBe(true);
    expect(matchesApprovalRule({ subject: 'Lunch on Friday', categories: ['Blue'] }, rule)).toBe(false);
  });

  it('titles the item by the subject without the tag and reply prefixes', () => {
    expect(approvalTitle('RE: FW: [Approval]  Launch budget', '[Approval]')).toBe('Launch budget');
    expect(approvalTitle('AW: [Approval] Freigabe Budget', '[Approval]')).toBe('Freigabe Budget');
    expect(approvalTitle('', '[Approval]')).toBe('(no subject)');
  });

  it('tells the first message of a conversation by its 22-byte conversation index', () => {
    const root = Buffer.alloc(22, 1).toString('base64');
    const reply = Buffer.alloc(27, 1).toString('base64');
    expect(isConversationRoot({ conversationIndex: root, subject: 'RE: looks like a reply' })).toBe(true);
    expect(isConversationRoot({ conversationIndex: reply, subject: '[Approval] no prefix' })).toBe(false);
    expect(isConversationRoot({ conversationIndex: null, subject: 'RE: budget' })).toBe(false);
    expect(isConversationRoot({ conversationIndex: null, subject: 'Budget' })).toBe(true);
  });

  it('finds Jira-style keys in subjects and previews', () => {
    expect(itemKeys('Sign-off CHK-42 and CHK-7', 'see CHK-42, OPS-3')).toEqual(['CHK-42', 'CHK-7', 'OPS-3']);
  });
});

describe('approval state', () => {
  it('is approved only when every approver approved, rejected by any rejection', () => {
    expect(approvalState({ a: 'approved' }, ['a', 'b']).raw).toBe('pending');
    expect(approvalState({ a: 'approved', b: 'approved' }, ['a', 'b'])).toEqual({
      raw: 'approved',
      category: 'done',
    });
    expect(approvalState({ a: 'approved', b: 'changes_requested' }, ['a', 'b']).raw).toBe(
      'changes_requested',
    );
    expect(approvalState({ a: 'rejected', b: 'approved' }, ['a', 'b'])).toEqual({
      raw: 'rejected',
      category: 'cancelled',
    });
  });
});
