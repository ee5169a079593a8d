import { z } from 'zod';

/**
 * The tool-neutral shape every connector emits (ARCHITECTURE.md §3).
 * Connectors normalise their tool's payloads into this; everything downstream
 * (mapping, derivation, storage) reads only this.
 */

/** One person's handle in one tool: a GitHub login, a Jira accountId, an email address. */
export const Identity = z.object({
  /** The connector kind the id belongs to: github, jira, outlook, drive. Email addresses use `email`. */
  tool: z.string().min(1),
  id: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

export const ItemKind = z.enum(['issue', 'pull_request', 'message', 'event', 'file']);
export type ItemKind = z.infer<typeof ItemKind>;

/** How the tool itself classifies the raw state; Baton's own state comes from the mapping. */
export const StateCategory = z.enum(['todo', 'in_progress', 'done', 'cancelled']);
export type StateCategory = z.infer<typeof StateCategory>;

/**
 * Activities with a fixed meaning for handoff and approval derivation.
 * - review_requested / review_request_removed: actor asks target to review (GitHub)
 * - reviewed: actor reviewed; detail.state is approved | changes_requested | commented | dismissed
 * - assigned / unassigned: actor gives the item to target (or takes it away)
 * - approval_requested: actor asks target for a decision (Outlook [Approval] mail, Jira "Awaiting approval", Drive approval)
 * - decided: actor (an approver) decided; detail.decision is approved | rejected | changes_requested
 * - commented / replied: actor wrote something (target set when addressed to someone)
 * - comment_assigned / comment_resolved: a document comment assigned to target, or resolved (Drive)
 * - mentioned: actor mentioned target with a request
 * - transitioned: detail.from / detail.to raw states
 * - merged, closed, reopened, created: lifecycle
 * - responded: a meeting attendee's response; detail.response is accepted | declined | tentative | none
 */
export const ActivityKind = z.enum([
  'created',
  'assigned',
  'unassigned',
  'review_requested',
  'review_request_removed',
  'reviewed',
  'approval_requested',
  'decided',
  'commented',
  'replied',
  'comment_assigned',
  'comment_resolved',
  'mentioned',
  'transitioned',
  'merged',
  'closed',
  'reopened',
  'responded',
]);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const Activity = z.object({
  /** Stable id within the item (e.g. the tool's event id); used to merge activity from polls and webhooks. */
  id: z.string().min(1),
  kind: ActivityKind,
  actor: Identity.optional(),
  target: Identity.optional(),
  /** ISO-8601 time the activity happened in the tool. */
  at: z.iso.datetime({ offset: true }),
  /** Small, kind-specific facts: review state, decision, from/to states, a comment excerpt, a thread id. */
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type Activity = z.infer<typeof Activity>;

export const SourceRecord = z.object({
  /** Connector kind that produced the record. */
  source: z.string().min(1),
  /** Unique and stable within the connection (e.g. `acme/checkout#12`, `10042`, a Graph message id). */
  externalId: z.string().min(1),
  /** Human key people type: `CHK-123`, `acme/checkout#12`. */
  key: z.string().optional(),
  url: z.string().optional(),
  kind: ItemKind,
  title: z.string(),
  state: z.object({ raw: z.string(), category: StateCategory }),
  author: Identity.optional(),
  assignees: z.array(Identity).default([]),
  reviewers: z.array(Identity).default([]),
  labels: z.array(z.string()).default([]),
  /** Project, repo, folder or mailbox the item lives in: `CHK`, `acme/checkout`, a folder id. */
  container: z.string().optional(),
  parent: z.string().optional(),
  /** Keys of other items this one mentions (e.g. `CHK-123` in a PR title or branch). */
  references: z.array(z.string()).default([]),
  createdAt: z.iso.datetime({ offset: true }),
  /** The tool's own last-modified time; the never-regress rule compares it. */
  updatedAt: z.iso.datetime({ offset: true }),
  dueAt: z.iso.datetime({ offset: true }).optional(),
  deleted: z.boolean().default(false),
  /** Tool-specific normalised fields that mapping selectors may test (issueType, branch, categories, mimeType …). */
  fields: z.record(z.string(), z.unknown()).default({}),
  activity: z.array(Activity).default([]),
  /** The payload the record came from, kept for audit and replay. */
  raw: z.unknown().optional(),
});
export type SourceRecord = z.infer<typeof SourceRecord>;
export type SourceRecordInput = z.input<typeof SourceRecord>;
