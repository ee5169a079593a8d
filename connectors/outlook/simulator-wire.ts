import { randomBytes, randomUUID } from 'node:crypto';
import type { Attendee, Event, Message, Recipient } from '@microsoft/microsoft-graph-types';

/** Graph wire-format builders for the simulator (shapes from Microsoft's docs examples). */

export type WireMessage = Message & { id: string };
export type WireEvent = Event & { id: string };

/** Graph ids are long base64 strings; immutable ids (the connector asks for them) never change. */
export function graphId(prefix = 'AAMkAGI2'): string {
  return `${prefix}${randomBytes(36).toString('base64url')}AAA=`;
}

export function changeKey(): string {
  return randomBytes(12).toString('base64');
}

export function recipient(address: string, name?: string): Recipient {
  return { emailAddress: { name: name ?? displayNameOf(address), address } };
}

export function displayNameOf(address: string): string {
  const local = address.split('@')[0] ?? address;
  return local
    .split(/[._-]/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

/**
 * PidTagConversationIndex: 22 bytes for a conversation's first message (reserved byte, 5 bytes
 * of FILETIME, 16-byte GUID), plus a 5-byte block per reply.
 */
export function rootConversationIndex(at: Date): string {
  const filetime = (BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n;
  const header = Buffer.alloc(6);
  header[0] = 0x01;
  const high = filetime >> 24n;
  for (let i = 0; i < 5; i++) header[1 + i] = Number((high >> BigInt(8 * (4 - i))) & 0xffn);
  return Buffer.concat([header, randomBytes(16)]).toString('base64');
}

export function childConversationIndex(parent: string): string {
  return Buffer.concat([Buffer.from(parent, 'base64'), randomBytes(5)]).toString('base64');
}

export function internetMessageId(domain: string): string {
  return `<${randomBytes(12).toString('hex').toUpperCase()}@${domain}>`;
}

export function messageWebLink(id: string): string {
  return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`;
}

export function eventWebLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

/** `2016-12-09T20:30:00.0000000` in UTC, as calendar times come back with `outlook.timezone="UTC"`. */
export function graphLocalTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}.0000000`;
}

export function attendee(address: string, type: 'required' | 'optional' = 'required'): Attendee {
  return {
    type,
    status: { response: 'none', time: '0001-01-01T00:00:00Z' },
    emailAddress: recipient(address).emailAddress,
  };
}

export function graphError(code: string, message: string, clientRequestId?: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': randomUUID(),
        'client-request-id': clientRequestId ?? randomUUID(),
      },
    },
  };
}

/** Fills what Exchange sets itself on a stored message; the caller's fields win. */
export function completeMessage(partial: Partial<WireMessage>, at: string, domain: string): WireMessage {
  const id = partial.id ?? graphId();
  const sender = partial.from ?? partial.sender ?? recipient(`unknown@${domain}`);
  return {
    id,
    createdDateTime: at,
    lastModifiedDateTime: at,
    changeKey: changeKey(),
    categories: [],
    receivedDateTime: at,
    sentDateTime: at,
    hasAttachments: false,
    internetMessageId: internetMessageId(domain),
    subject: '',
    bodyPreview: '',
    importance: 'normal',
    conversationId: graphId('AAQkAGI2'),
    conversationIndex: rootConversationIndex(new Date(at)),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: false,
    isDraft: false,
    webLink: messageWebLink(id),
    inferenceClassification: 'focused',
    body: { contentType: 'text', content: partial.bodyPreview ?? '' },
    sender,
    from: sender,
    toRecipients: [],
    ccRecipients: [],
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: 'notFlagged' },
    ...partial,
  };
}

export function completeEvent(partial: Partial<WireEvent>, at: string, organizer: string): WireEvent {
  const id = partial.id ?? graphId('AAMkADNk');
  return {
    id,
    createdDateTime: at,
    lastModifiedDateTime: at,
    changeKey: changeKey(),
    categories: [],
    transactionId: null,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: `040000008200E00074C5B7101A82E008000000${randomBytes(24).toString('hex').toUpperCase()}`,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: '',
    bodyPreview: '',
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    responseRequested: true,
    showAs: 'busy',
    type: 'singleInstance',
    webLink: eventWebLink(id),
    isOnlineMeeting: false,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    body: { contentType: 'html', content: '' },
    location: { displayName: '' },
    attendees: [],
    organizer: recipient(organizer),
    ...partial,
  };
}
