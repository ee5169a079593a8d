import type { SourceRecord } from '../../src/domain/source-record.js';
import { gh, jira, record } from '../support/plan-fixture.js';

/** Titles a hostile or careless tool user could write; they must reach pages as text only. */
export const HOSTILE_SCRIPT = '<script>alert(1)</script>';
export const HOSTILE_IMG = '<img src=x onerror=alert(1)>';

const JIRA = 'https://acme.atlassian.net/browse';
const accounts = {
  lena: jira('5b10ac8d82e05b22cc7d4ef5'),
  priya: jira('557058:f58131cb-b67d-43c7-b30d-6b58d40bd077'),
  jonas: jira('60b7e1f2a3c4d5e6f7a8b9c0'),
};
const mail = (address: string) => ({ tool: 'outlook', id: address, email: address });

const story = (
  n: number,
  title: string,
  raw: string,
  category: 'todo' | 'in_progress' | 'done',
  extra = {},
) =>
  record({
    externalId: String(10000 + n),
    key: `CHK-${n}`,
    title,
    url: `${JIRA}/CHK-${n}`,
    container: 'CHK',
    fields: { issueType: 'Story' },
    state: { raw, category },
    createdAt: '2026-09-28T08:00:00Z',
    updatedAt: '2026-11-04T10:00:00Z',
    ...extra,
  });

/** Jira: design done, build moving with one blocked story, a security task, one issue outside CHK. */
export const jiraRecords = (buildState: 'In Progress' | 'In Review'): SourceRecord[] => [
  story(101, 'Checkout flows for card, PayPal and Apple Pay', 'Done', 'done', {
    labels: ['design'],
    fields: { issueType: 'Design' },
  }),
  story(102, 'Error states for 3-D Secure failures', 'Done', 'done', { labels: ['design'] }),
  story(120, 'One-page checkout form', buildState, 'in_progress', {
    assignees: [accounts.priya],
    updatedAt: buildState === 'In Progress' ? '2026-11-03T09:00:00Z' : '2026-11-05T09:00:00Z',
  }),
  story(121, 'Saved-card migration rehearsal on a production snapshot', 'Blocked', 'in_progress', {
    assignees: [accounts.priya],
  }),
  story(122, 'Load test at twice the holiday peak', 'To Do', 'todo', {
    fields: { issueType: 'Task' },
    assignees: [accounts.jonas],
    activity: [
      {
        id: 'a122',
        kind: 'assigned',
        actor: accounts.priya,
        target: accounts.jonas,
        at: '2026-10-29T10:00:00Z',
      },
    ],
  }),
  story(123, 'Apple Pay button', 'Done', 'done'),
  story(124, HOSTILE_SCRIPT, 'To Do', 'todo', { url: 'javascript:alert(1)' }),
  story(140, 'Threat model for the one-page checkout', 'To Do', 'todo', {
    labels: ['security'],
    fields: { issueType: 'Task' },
  }),
  record({
    externalId: '20007',
    key: 'OPS-7',
    title: 'Rotate the on-call pager',
    url: `${JIRA}/OPS-7`,
    container: 'OPS',
    fields: { issueType: 'Task' },
  }),
];

const pullRequest = (n: number, title: string, reviewer: string, at: string, repo = 'acme/checkout') =>
  record({
    externalId: `${repo}#${n}`,
    key: `${repo}#${n}`,
    source: 'github',
    kind: 'pull_request',
    title,
    url: `https://github.com/${repo}/pull/${n}`,
    container: repo,
    author: gh('priya-r'),
    state: { raw: 'open', category: 'in_progress' },
    createdAt: at,
    updatedAt: at,
    activity: [{ id: `rr${n}`, kind: 'review_requested', actor: gh('priya-r'), target: gh(reviewer), at }],
  });

/** GitHub: a review Sam has not picked up for two days, a fresh one for Jonas, one PR elsewhere. */
export const githubRecords = (): SourceRecord[] => [
  pullRequest(41, 'CHK-120 One-page checkout form', 'samiyer', '2026-11-03T06:00:00Z'),
  pullRequest(42, HOSTILE_IMG, 'jbecker', '2026-11-05T08:00:00Z'),
  pullRequest(9, 'Bump the lint config', 'mreed', '2026-11-04T12:00:00Z', 'acme/tooling'),
];

const message = (id: string, title: string, activity: SourceRecord['activity'], at: string) =>
  record({
    // The Outlook connector marks messages that match its approval rule.
    fields: { approval: activity.some((a) => a.kind === 'approval_requested') },
    externalId: id,
    source: 'outlook',
    kind: 'message',
    title,
    url: `https://outlook.office.com/mail/inbox/id/${id}`,
    author: mail('aisha.okafor@acme.example'),
    state: { raw: 'received', category: 'in_progress' },
    createdAt: at,
    updatedAt: at,
    activity,
  });

/** Outlook: the security sign-off mail waiting on Marcus, and a mail no plan is about. */
export const outlookRecords = (): SourceRecord[] => [
  message(
    'AAMk-pci-signoff',
    '[Approval] Security sign-off: PCI scope unchanged',
    [
      {
        id: 'ar1',
        kind: 'approval_requested',
        actor: mail('aisha.okafor@acme.example'),
        target: mail('marcus.reed@acme.example'),
        at: '2026-11-02T14:00:00Z',
      },
    ],
    '2026-11-02T14:00:00Z',
  ),
  message('AAMk-lunch', 'Team lunch on Friday', [], '2026-11-04T11:00:00Z'),
];

/** Drive: the approved checkout spec, in the design phase. */
export const driveRecords = (): SourceRecord[] => [
  record({
    externalId: '1Spec0nePageCheckout',
    source: 'drive',
    kind: 'file',
    title: 'Spec: one-page checkout',
    url: 'https://docs.google.com/document/d/1Spec0nePageCheckout/edit',
    fields: { mimeType: 'application/vnd.google-apps.document' },
    state: { raw: 'approved', category: 'done' },
    createdAt: '2026-09-03T08:00:00Z',
    updatedAt: '2026-09-24T15:00:00Z',
  }),
];
