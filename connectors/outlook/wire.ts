import type { Event, Message } from '@microsoft/microsoft-graph-types';

/**
 * The Graph payloads this connector reads, as typed by @microsoft/microsoft-graph-types. Delta
 * pages mark removed items with `@removed` (delta-query-overview: reason `changed` or `deleted`).
 */

/**
 * `$select` for message delta: only what the plan needs. `conversationIndex` is not in the issue's
 * list but tells a conversation's first message from a reply without reading headers (22 bytes for
 * the root, 5 more per reply), which is how an approval request is told from its answers.
 */
export const MESSAGE_FIELDS = [
  'subject',
  'from',
  'toRecipients',
  'ccRecipients',
  'conversationId',
  'conversationIndex',
  'receivedDateTime',
  'sentDateTime',
  'lastModifiedDateTime',
  'categories',
  'bodyPreview',
  'internetMessageId',
  'webLink',
  'isDraft',
] as const;

export interface Removed {
  '@removed'?: { reason?: string };
}

export type DeltaMessage = Pick<Message, (typeof MESSAGE_FIELDS)[number]> & Removed & { id: string };

/** calendarView delta does not support $select: events arrive whole and are trimmed here. */
export type DeltaEvent = Event & Removed & { id: string };

export interface DeltaResponse<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** The parts of an event a record keeps (no body, no online-meeting join data). */
export function trimEvent(event: DeltaEvent): Record<string, unknown> {
  return {
    id: event.id,
    subject: event.subject,
    start: event.start,
    end: event.end,
    isCancelled: event.isCancelled,
    organizer: event.organizer,
    attendees: event.attendees?.map((a) => ({
      type: a.type,
      status: a.status,
      emailAddress: a.emailAddress,
    })),
    iCalUId: event.iCalUId,
    webLink: event.webLink,
    createdDateTime: event.createdDateTime,
    lastModifiedDateTime: event.lastModifiedDateTime,
  };
}

/** The selected fields only, with the body preview cut to its first lines. */
export function trimMessage(message: DeltaMessage, previewLines: number): Record<string, unknown> {
  const out: Record<string, unknown> = { id: message.id };
  for (const field of MESSAGE_FIELDS) {
    if (message[field] !== undefined) out[field] = message[field];
  }
  if (typeof message.bodyPreview === 'string')
    out.bodyPreview = firstLines(message.bodyPreview, previewLines);
  else delete out.bodyPreview;
  return out;
}

/** The first `count` non-empty lines of a body preview. */
export function firstLines(preview: string | null | undefined, count: number): string {
  if (!preview || count <= 0) return '';
  return preview
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(0, count)
    .join('\n');
}

/** Graph's `{ dateTime, timeZone }` as ISO-8601 UTC (the connector asks for UTC with `Prefer`). */
export function graphDateTime(
  value: { dateTime?: string | null; timeZone?: string | null } | null | undefined,
) {
  if (!value?.dateTime) return undefined;
  const zoned = /[zZ]|[+-]\d{2}:\d{2}$/.test(value.dateTime) ? value.dateTime : `${value.dateTime}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function isoOrUndefined(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
