import type { Attendee } from '@microsoft/microsoft-graph-types';
import type { Activity, SourceRecord } from '../../src/domain/source-record.js';
import { approvalState, itemKeys } from './approval-rules.js';
import type { OutlookConfig } from './config.js';
import type { Conversation } from './cursor.js';
import { fromRef, identitiesOf, identityOf } from './identity.js';
import {
  type DeltaEvent,
  type DeltaMessage,
  firstLines,
  graphDateTime,
  isoOrUndefined,
  trimEvent,
  trimMessage,
} from './wire.js';

/** Graph payloads → SourceRecords. Pure: the conversation state comes in, records go out. */

export const SOURCE = 'outlook';

export const messageId = (id: string) => `msg:${id}`;
export const conversationItemId = (conversationId: string) => `conv:${conversationId}`;
export const eventItemId = (id: string) => `event:${id}`;

/** When a message happened: sent time for mail we sent, received time otherwise. */
export function messageTime(message: DeltaMessage): string {
  return (
    isoOrUndefined(message.sentDateTime) ??
    isoOrUndefined(message.receivedDateTime) ??
    isoOrUndefined(message.lastModifiedDateTime) ??
    new Date(0).toISOString()
  );
}

/** A message outside any approval conversation: minimal, so mapping selectors can still pick it. */
export function plainMessageRecord(
  message: DeltaMessage,
  mailbox: string,
  folder: string,
  config: OutlookConfig,
): SourceRecord {
  const preview = firstLines(message.bodyPreview, config.bodyPreviewLines);
  const sent = message.from?.emailAddress?.address?.toLowerCase() === mailbox.toLowerCase();
  return {
    source: SOURCE,
    externalId: messageId(message.id),
    url: message.webLink ?? undefined,
    kind: 'message',
    title: message.subject?.trim() || '(no subject)',
    state: { raw: sent ? 'sent' : 'received', category: 'done' },
    author: identityOf(message.from),
    assignees: identitiesOf(message.toRecipients),
    reviewers: [],
    labels: message.categories ?? [],
    container: mailbox.toLowerCase(),
    references: itemKeys(message.subject, preview),
    createdAt: messageTime(message),
    updatedAt: isoOrUndefined(message.lastModifiedDateTime) ?? messageTime(message),
    deleted: false,
    fields: {
      mailbox: mailbox.toLowerCase(),
      folder,
      approval: false,
      conversationId: message.conversationId ?? undefined,
      internetMessageId: message.internetMessageId ?? undefined,
      categories: message.categories ?? [],
      from: identityOf(message.from)?.id,
      to: identitiesOf(message.toRecipients).map((p) => p.id),
      cc: identitiesOf(message.ccRecipients).map((p) => p.id),
      preview,
    },
    activity: [],
    raw: trimMessage(message, config.bodyPreviewLines),
  };
}

/**
 * The approval item of one conversation, as the cursor knows it, carrying only the activity of
 * the message that produced this record (Baton merges activity of records with the same id).
 */
export function conversationRecord(
  conversationId: string,
  conversation: Conversation,
  activity: Activity[],
  raw: Record<string, unknown>,
): SourceRecord {
  const approverIds = conversation.approvers.map((a) => a.id);
  const decisions = Object.fromEntries(
    Object.entries(conversation.decisions).map(([id, d]) => [id, d.decision]),
  );
  const state = approvalState(decisions, approverIds);
  return {
    source: SOURCE,
    externalId: conversationItemId(conversationId),
    url: conversation.url,
    kind: 'message',
    title: conversation.title,
    state,
    author: fromRef(conversation.requester),
    assignees: conversation.approvers.map(fromRef),
    reviewers: [],
    labels: conversation.labels,
    container: conversation.mailbox,
    references: conversation.references,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    deleted: false,
    fields: {
      mailbox: conversation.mailbox,
      folder: conversation.folder,
      approval: true,
      conversationId,
      internetMessageId: conversation.rootMessageId,
      categories: conversation.labels,
      from: conversation.requester.id,
      approvers: approverIds,
      decision: state.raw,
      decisions,
    },
    activity,
    raw,
  };
}

const RESPONSES: Record<string, 'accepted' | 'declined' | 'tentative' | 'none'> = {
  accepted: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  none: 'none',
  notResponded: 'none',
};

/**
 * A meeting. Decision meetings (subject containing `decisionMeeting.subjectPattern`) are gates:
 * due at their start, attendees as assignees, one `responded` activity per attendee. Other
 * meetings stay minimal.
 */
export function eventRecord(event: DeltaEvent, mailbox: string, config: OutlookConfig): SourceRecord {
  const subject = event.subject?.trim() || '(no subject)';
  const decision = subject.toLowerCase().includes(config.decisionMeeting.subjectPattern.toLowerCase());
  const organizer = identityOf(event.organizer);
  const updatedAt = isoOrUndefined(event.lastModifiedDateTime) ?? new Date(0).toISOString();
  const createdAt = isoOrUndefined(event.createdDateTime) ?? updatedAt;
  const people = (event.attendees ?? []).filter((a) => a.type !== 'resource');
  const attendees = identitiesOf(people);
  const byResponse = (response: string) =>
    people.filter((a) => RESPONSES[a.status?.response ?? 'none'] === response).flatMap(attendeeId);
  return {
    source: SOURCE,
    externalId: eventItemId(event.id),
    url: event.webLink ?? undefined,
    kind: 'event',
    title: subject,
    state: event.isCancelled
      ? { raw: 'cancelled', category: 'cancelled' }
      : { raw: 'scheduled', category: 'todo' },
    author: organizer,
    assignees: decision ? attendees : [],
    reviewers: [],
    labels: event.categories ?? [],
    container: mailbox.toLowerCase(),
    references: itemKeys(subject),
    createdAt,
    updatedAt,
    dueAt: graphDateTime(event.start),
    deleted: false,
    fields: {
      mailbox: mailbox.toLowerCase(),
      decisionMeeting: decision,
      iCalUId: event.iCalUId ?? undefined,
      start: graphDateTime(event.start),
      end: graphDateTime(event.end),
      isCancelled: event.isCancelled ?? false,
      organizer: organizer?.id,
      ...(decision
        ? {
            accepted: byResponse('accepted'),
            declined: byResponse('declined'),
            tentative: byResponse('tentative'),
            noResponse: byResponse('none'),
          }
        : {}),
    },
    activity: decision ? people.flatMap((a) => responded(a, organizer, createdAt)) : [],
    raw: trimEvent(event),
  };
}

function attendeeId(attendee: Attendee): string[] {
  const identity = identityOf(attendee);
  return identity ? [identity.id] : [];
}

function responded(attendee: Attendee, organizer: Activity['target'], invitedAt: string): Activity[] {
  const actor = identityOf(attendee);
  const response = RESPONSES[attendee.status?.response ?? 'none'];
  if (!actor || !response || actor.id === organizer?.id) return [];
  // Graph reports "no response" with the year-1 time; the invitation time stands in for it.
  const answeredAt = isoOrUndefined(attendee.status?.time);
  const at = answeredAt && !answeredAt.startsWith('0001-') ? answeredAt : invitedAt;
  return [
    {
      id: `responded:${actor.id}:${response}:${at}`,
      kind: 'responded',
      actor,
      target: organizer,
      at,
      detail: { response },
    },
  ];
}
