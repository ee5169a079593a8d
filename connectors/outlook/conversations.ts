import type { Activity, SourceRecord } from '../../src/domain/source-record.js';
import {
  approvalTitle,
  type Decision,
  isConversationRoot,
  itemKeys,
  matchesApprovalRule,
  recognizeDecision,
} from './approval-rules.js';
import type { OutlookConfig } from './config.js';
import type { Conversation, OutlookCursor, PendingReply } from './cursor.js';
import { fromRef, identitiesOf, identityOf, toRef } from './identity.js';
import { conversationRecord, messageTime } from './normalize.js';
import { type DeltaMessage, firstLines, isoOrUndefined, trimMessage } from './wire.js';

/**
 * Approval conversations: one item per conversation (`conv:<conversationId>`). The request (the
 * conversation's first message matching the approval rule) opens it with `approval_requested`
 * towards each To recipient; later messages of the conversation add `decided` (an approver's reply
 * whose first line or category is a decision) or `replied`. Every record for the item gets a
 * strictly later updatedAt than the one before, so Baton's never-regress rule applies it even when
 * Graph's lastModifiedDateTime of a reply is not newer than the request's.
 */

export type MessageOutcome =
  | { kind: 'records'; records: SourceRecord[]; convertedPlainId?: string }
  | { kind: 'held' }
  | { kind: 'not_approval' };

export function onMessage(
  cursor: OutlookCursor,
  message: DeltaMessage,
  mailbox: string,
  folder: string,
  config: OutlookConfig,
): MessageOutcome {
  const conversationId = message.conversationId;
  if (!conversationId || !message.internetMessageId) return { kind: 'not_approval' };
  const known = cursor.conversations[conversationId];
  if (known)
    return { kind: 'records', records: onConversationMessage(conversationId, known, message, config) };
  if (!matchesApprovalRule(message, config.approval)) return { kind: 'not_approval' };
  if (!isConversationRoot(message)) {
    hold(cursor, conversationId, pendingReply(message, config));
    return { kind: 'held' };
  }
  const conversation = openConversation(message, mailbox, folder, config);
  cursor.conversations[conversationId] = conversation;
  const activity = requestActivities(conversation, message);
  for (const reply of cursor.pending[conversationId] ?? []) {
    activity.push(...replyActivities(conversation, reply, config));
    conversation.versions[reply.internetMessageId] = `${reply.id}@${reply.lastModified}`;
    conversation.updatedAt = later(conversation.updatedAt, reply.lastModified);
  }
  delete cursor.pending[conversationId];
  const record = conversationRecord(
    conversationId,
    conversation,
    activity,
    trimMessage(message, config.bodyPreviewLines),
  );
  return { kind: 'records', records: [record], convertedPlainId: message.id };
}

/** The request's removal removes the item; a held reply's removal forgets it. */
export function onMessageRemoved(cursor: OutlookCursor, id: string): { conversationId?: string } {
  for (const [conversationId, conversation] of Object.entries(cursor.conversations)) {
    if (conversation.root === id) {
      delete cursor.conversations[conversationId];
      return { conversationId };
    }
  }
  for (const [conversationId, replies] of Object.entries(cursor.pending)) {
    const rest = replies.filter((r) => r.id !== id);
    if (rest.length !== replies.length) {
      if (rest.length > 0) cursor.pending[conversationId] = rest;
      else delete cursor.pending[conversationId];
    }
  }
  return {};
}

function onConversationMessage(
  conversationId: string,
  conversation: Conversation,
  message: DeltaMessage,
  config: OutlookConfig,
): SourceRecord[] {
  const internetId = message.internetMessageId!;
  const version = message.lastModifiedDateTime ?? '';
  // The same mail sits in several watched mailboxes (sender's Sent Items, recipients' Inbox):
  // the first copy seen speaks for the message, later copies add nothing.
  const seen = conversation.versions[internetId];
  if (internetId === conversation.rootMessageId && message.id !== conversation.root) return [];
  if (seen && (!seen.startsWith(`${message.id}@`) || seen === `${message.id}@${version}`)) return [];
  conversation.versions[internetId] = `${message.id}@${version}`;
  let activity: Activity[];
  if (internetId === conversation.rootMessageId) {
    conversation.labels = message.categories ?? conversation.labels;
    activity = requestActivities(conversation, message);
  } else {
    activity = replyActivities(conversation, pendingReply(message, config), config);
  }
  conversation.updatedAt = later(conversation.updatedAt, version);
  return [
    conversationRecord(conversationId, conversation, activity, trimMessage(message, config.bodyPreviewLines)),
  ];
}

function openConversation(
  message: DeltaMessage,
  mailbox: string,
  folder: string,
  config: OutlookConfig,
): Conversation {
  const requester = identityOf(message.from);
  const preview = firstLines(message.bodyPreview, config.bodyPreviewLines);
  const modified = isoOrUndefined(message.lastModifiedDateTime) ?? messageTime(message);
  return {
    root: message.id,
    rootMessageId: message.internetMessageId!,
    mailbox: mailbox.toLowerCase(),
    folder,
    title: approvalTitle(message.subject, config.approval.subjectTag),
    url: message.webLink ?? undefined,
    requester: requester ? toRef(requester) : { id: 'unknown' },
    approvers: identitiesOf(message.toRecipients).map(toRef),
    labels: message.categories ?? [],
    references: itemKeys(message.subject, preview),
    createdAt: messageTime(message),
    updatedAt: modified,
    decisions: {},
    versions: { [message.internetMessageId!]: `${message.id}@${message.lastModifiedDateTime ?? ''}` },
  };
}

function requestActivities(conversation: Conversation, message: DeltaMessage): Activity[] {
  const actor = fromRef(conversation.requester);
  return conversation.approvers.map((approver) => ({
    id: `approval_requested:${conversation.rootMessageId}:${approver.id}`,
    kind: 'approval_requested' as const,
    actor,
    target: fromRef(approver),
    at: messageTime(message),
  }));
}

function replyActivities(conversation: Conversation, reply: PendingReply, config: OutlookConfig): Activity[] {
  const actor = fromRef(reply.from);
  const isApprover = conversation.approvers.some((a) => a.id === reply.from.id);
  const decision: Decision | undefined = isApprover
    ? recognizeDecision(reply.firstLine, reply.categories, config.approval.decisionWords)
    : undefined;
  if (decision) {
    const before = conversation.decisions[reply.from.id];
    if (!before || before.at <= reply.at) conversation.decisions[reply.from.id] = { decision, at: reply.at };
    return [
      {
        id: `decided:${reply.internetMessageId}`,
        kind: 'decided',
        actor,
        target: fromRef(conversation.requester),
        at: reply.at,
        detail: { decision, excerpt: reply.firstLine.slice(0, 200) },
      },
    ];
  }
  const targets = reply.to.filter((t) => t.id !== reply.from.id);
  return (targets.length > 0 ? targets : [conversation.requester]).map((target) => ({
    id: `replied:${reply.internetMessageId}:${target.id}`,
    kind: 'replied' as const,
    actor,
    target: fromRef(target),
    at: reply.at,
  }));
}

function pendingReply(message: DeltaMessage, config: OutlookConfig): PendingReply {
  const from = identityOf(message.from);
  return {
    id: message.id,
    internetMessageId: message.internetMessageId!,
    lastModified: message.lastModifiedDateTime ?? '',
    from: from ? toRef(from) : { id: 'unknown' },
    to: identitiesOf(message.toRecipients).map(toRef),
    at: messageTime(message),
    firstLine: firstLines(message.bodyPreview, Math.min(1, config.bodyPreviewLines)),
    categories: message.categories ?? [],
  };
}

function hold(cursor: OutlookCursor, conversationId: string, reply: PendingReply): void {
  const held = (cursor.pending[conversationId] ?? []).filter(
    (r) => r.internetMessageId !== reply.internetMessageId,
  );
  // A runaway thread must not grow the cursor without bound.
  cursor.pending[conversationId] = [...held, reply].slice(-50);
}

/** `candidate` when it is later than `previous`, else one millisecond after `previous`. */
export function later(previous: string, candidate: string): string {
  const before = Date.parse(previous);
  const next = Date.parse(candidate);
  if (Number.isNaN(before))
    return Number.isNaN(next) ? new Date(0).toISOString() : new Date(next).toISOString();
  if (!Number.isNaN(next) && next > before) return new Date(next).toISOString();
  return new Date(before + 1).toISOString();
}
