import { z } from 'zod';
import type { Json } from '../../src/connectors/kit/index.js';

/**
 * Where an Outlook pull stands. Per delta stream (one mail folder or one calendar view of one
 * mailbox) the link to call next: an @odata.nextLink mid-round, the @odata.deltaLink once the round
 * finished. Next to it, what approval derivation must remember between pulls: the open approval
 * conversations (so a reply days later lands on the same item, with a later updatedAt) and replies
 * seen before their request. Only approval conversations are remembered, never whole mailboxes.
 */

const Person = z.object({ id: z.string(), name: z.string().optional() });
const DecisionValue = z.enum(['approved', 'rejected', 'changes_requested']);

const Conversation = z.object({
  /** Graph id of the request message whose removal removes the item. */
  root: z.string(),
  /** internetMessageId of the request: other mailboxes' copies of it are recognised by it. */
  rootMessageId: z.string(),
  mailbox: z.string(),
  folder: z.string(),
  title: z.string(),
  url: z.string().optional(),
  requester: Person,
  approvers: z.array(Person),
  labels: z.array(z.string()),
  references: z.array(z.string()),
  createdAt: z.string(),
  /** The updatedAt last yielded for the item: every later record is strictly newer. */
  updatedAt: z.string(),
  /** Latest decision per approver id (by the reply's time, whatever order delta returned them in). */
  decisions: z.record(z.string(), z.object({ decision: DecisionValue, at: z.string() })),
  /** internetMessageId → `graphId@lastModifiedDateTime` of the copy already turned into activity. */
  versions: z.record(z.string(), z.string()),
});
export type Conversation = z.infer<typeof Conversation>;

const PendingReply = z.object({
  id: z.string(),
  internetMessageId: z.string(),
  lastModified: z.string(),
  from: Person,
  to: z.array(Person),
  at: z.string(),
  firstLine: z.string(),
  categories: z.array(z.string()),
});
export type PendingReply = z.infer<typeof PendingReply>;

const Stream = z.object({
  link: z.string().optional(),
  /** True while `link` is an @odata.nextLink (a round in progress). */
  midRound: z.boolean().optional(),
  /** calendarView window of the current delta token. */
  windowStart: z.string().optional(),
  windowEnd: z.string().optional(),
});
export type StreamState = z.infer<typeof Stream>;

const OutlookCursor = z.object({
  v: z.literal(1),
  streams: z.record(z.string(), Stream),
  conversations: z.record(z.string(), Conversation),
  /** Tagged replies whose request was not seen yet, by conversationId. */
  pending: z.record(z.string(), z.array(PendingReply)),
});
export type OutlookCursor = z.infer<typeof OutlookCursor>;

export function emptyCursor(): OutlookCursor {
  return { v: 1, streams: {}, conversations: {}, pending: {} };
}

/** An unreadable cursor (older version, hand-edited row) starts over instead of failing every poll. */
export function readCursor(json: Json): { cursor: OutlookCursor; valid: boolean } {
  if (json === null) return { cursor: emptyCursor(), valid: true };
  const parsed = OutlookCursor.safeParse(json);
  return parsed.success ? { cursor: parsed.data, valid: true } : { cursor: emptyCursor(), valid: false };
}

/** A deep copy: each yielded page must keep the cursor as it was after that page. */
export function toJson(cursor: OutlookCursor): Json {
  return JSON.parse(JSON.stringify(cursor)) as Json;
}

/**
 * Forgets conversations with no message for `memoryDays`, pending replies older than 30 days, and
 * streams no longer configured, so the cursor stays small.
 */
export function prune(cursor: OutlookCursor, now: Date, memoryDays: number, streamKeys: string[]): void {
  const conversationCutoff = now.getTime() - memoryDays * 86_400_000;
  for (const [id, conversation] of Object.entries(cursor.conversations)) {
    if (Date.parse(conversation.updatedAt) < conversationCutoff) delete cursor.conversations[id];
  }
  const pendingCutoff = now.getTime() - 30 * 86_400_000;
  for (const [id, replies] of Object.entries(cursor.pending)) {
    const fresh = replies.filter((r) => Date.parse(r.at) >= pendingCutoff);
    if (fresh.length > 0) cursor.pending[id] = fresh;
    else delete cursor.pending[id];
  }
  const keep = new Set(streamKeys);
  for (const key of Object.keys(cursor.streams)) if (!keep.has(key)) delete cursor.streams[key];
}
