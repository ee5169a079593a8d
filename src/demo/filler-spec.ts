import { z } from 'zod';

/** `[from, to]` days before the epoch: items are created somewhere in between. */
const DaysAgo = z.tuple([z.number().min(0), z.number().min(0)]);
const Titles = z.array(z.string().min(1)).min(1);
const People = z.array(z.string().min(1)).min(1);

const JiraGroup = z.strictObject({
  project: z.string().regex(/^[A-Z][A-Z0-9]+$/, 'a Jira project key such as CHK'),
  count: z.number().int().min(1),
  firstNumber: z.number().int().min(1),
  types: z.array(z.string().min(1)).min(1),
  labels: z.array(z.string().min(1)).default([]),
  /** Added to every issue of the group (e.g. `paylink`, which a plan's selector looks for). */
  alwaysLabels: z.array(z.string().min(1)).default([]),
  people: People,
  reporters: People,
  statuses: z.record(z.string(), z.number().min(0)),
  daysAgo: DaysAgo,
  titles: Titles,
});

const GitHubGroup = z.strictObject({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
  firstNumber: z.number().int().min(1),
  pulls: z.number().int().min(0),
  merged: z.number().int().min(0),
  closed: z.number().int().min(0).default(0),
  issues: z.number().int().min(0).default(0),
  authors: People,
  reviewers: People,
  /** `{ref}` in a title: a key of this project's filler issues (so the item follows it into a phase). */
  references: z.string().optional(),
  daysAgo: DaysAgo,
  titles: Titles,
  issueTitles: Titles.optional(),
});

const MessageGroup = z.strictObject({
  /** Whose inbox (a person key; the mailbox must exist in outlook.json). */
  mailbox: z.string().min(1),
  count: z.number().int().min(1),
  senders: People,
  daysAgo: DaysAgo,
  subjects: Titles,
  previews: Titles,
});

const ApprovalGroup = z.strictObject({
  requester: z.string().min(1),
  approvers: People,
  count: z.number().int().min(1),
  daysAgo: DaysAgo,
  subjects: Titles,
  /** First line of each approver's answer (the connector reads decisions from it). */
  answers: Titles,
});

const DriveGroup = z.strictObject({
  folder: z.string().min(1),
  count: z.number().int().min(1),
  mimeType: z.string().min(1),
  owners: People,
  daysAgo: DaysAgo,
  titles: Titles,
});

export const FillerSpec = z.strictObject({
  seed: z.number().int(),
  words: z.record(z.string(), z.array(z.string()).min(1)).default({}),
  jira: z.array(JiraGroup).default([]),
  github: z.array(GitHubGroup).default([]),
  outlook: z
    .strictObject({
      messages: z.array(MessageGroup).default([]),
      approvals: z.array(ApprovalGroup).default([]),
    })
    .default({ messages: [], approvals: [] }),
  drive: z.array(DriveGroup).default([]),
});

export type FillerSpec = z.infer<typeof FillerSpec>;
export type JiraGroup = z.infer<typeof JiraGroup>;
export type GitHubGroup = z.infer<typeof GitHubGroup>;
export type MessageGroup = z.infer<typeof MessageGroup>;
export type ApprovalGroup = z.infer<typeof ApprovalGroup>;
export type DriveGroup = z.infer<typeof DriveGroup>;
