import { createHash } from 'node:crypto';
import type { Message } from '@microsoft/microsoft-graph-types';
import type { SubscriptionBook } from './simulator-notifications.js';
import type { Change, SimulatorStore } from './simulator-store.js';
import {
  attendee,
  childConversationIndex,
  completeEvent,
  completeMessage,
  displayNameOf,
  graphId,
  graphLocalTime,
  internetMessageId,
  recipient,
  rootConversationIndex,
  type WireEvent,
  type WireMessage,
} from './simulator-wire.js';

/**
 * What tests and the demo do to the simulated mailboxes. Every control goes through `apply`, the
 * path that POSTs change notifications, and resolves once they were delivered.
 */

export interface MailInput {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  /** Categories on the sender's copy (categories are per mailbox in Outlook). */
  categories?: string[];
}

export interface SentThread {
  conversationId: string;
  internetMessageId: string;
  /** Graph id of each mailbox's copy, by mailbox address. */
  copies: Record<string, string>;
}

export type MeetingResponse = 'accepted' | 'declined' | 'tentativelyAccepted';

export interface SimulatorControls {
  addMailbox(user: string, displayName?: string): void;
  addMessage(mailbox: string, folder: string, message: Partial<WireMessage>): Promise<WireMessage>;
  updateMessage(id: string, patch: Partial<WireMessage>): Promise<WireMessage>;
  deleteMessage(id: string): Promise<void>;
  sendMessage(mail: MailInput): Promise<SentThread>;
  /** A request for a decision: the tag goes in front of the subject unless it is already there. */
  sendApprovalRequest(mail: MailInput & { tag?: string }): Promise<SentThread>;
  /** Answers the latest message of a conversation (to its sender; replyAll adds the others as Cc). */
  reply(input: {
    conversationId: string;
    from: string;
    body: string;
    categories?: string[];
    replyAll?: boolean;
  }): Promise<SentThread>;
  createMeeting(input: {
    organizer: string;
    subject: string;
    start: string;
    end: string;
    attendees: string[];
  }): Promise<WireEvent>;
  respondToMeeting(eventId: string, attendee: string, response: MeetingResponse): Promise<WireEvent>;
  updateEvent(id: string, patch: Partial<WireEvent>): Promise<WireEvent>;
  deleteEvent(id: string): Promise<void>;
  messages(mailbox?: string, folder?: string): WireMessage[];
  events(mailbox?: string): WireEvent[];
}

export interface InternalControls extends SimulatorControls {
  seedMailbox(seed: {
    user: string;
    displayName?: string;
    folders?: Record<string, Partial<WireMessage>[]>;
    events?: Partial<WireEvent>[];
  }): Promise<void>;
  /** sendMail: the sender's Sent Items copy (when kept) and the recipients' Inbox copies. */
  deliver(from: string, message: Message, saveToSentItems: boolean): Promise<void>;
}

export function createControls(
  store: SimulatorStore,
  book: SubscriptionBook,
  folders: Map<string, Set<string>>,
  defaultFolders: string[],
): InternalControls {
  const lower = (address: string) => address.toLowerCase();
  const domainOf = (address: string) => address.split('@')[1] ?? 'contoso.com';

  async function apply(change: Change): Promise<void> {
    const mailbox = store.mailboxes.get(change.mailbox);
    const item =
      change.kind === 'message' ? store.messageEntry(change.id)?.item : store.eventEntry(change.id)?.item;
    if (mailbox) await book.notify(change, mailbox, `W/"${item?.changeKey ?? ''}"`);
  }

  function addMailbox(user: string, displayName?: string): void {
    const key = lower(user);
    if (store.mailboxes.has(key)) return;
    const guid = createHash('sha256')
      .update(key)
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');
    store.mailboxes.set(key, { user: key, displayName: displayName ?? displayNameOf(key), guid });
    folders.set(key, new Set(defaultFolders));
  }

  function person(address: string) {
    return recipient(lower(address), store.mailboxes.get(lower(address))?.displayName);
  }

  async function addMessage(
    mailbox: string,
    folder: string,
    partial: Partial<WireMessage>,
  ): Promise<WireMessage> {
    const key = lower(mailbox);
    addMailbox(key);
    folders.get(key)!.add(lower(folder));
    const message = completeMessage(partial, partial.lastModifiedDateTime ?? store.stamp(), domainOf(key));
    await apply(store.putMessage(key, lower(folder), message));
    return message;
  }

  async function send(
    mail: MailInput,
    thread?: { conversationId: string; parentIndex: string },
    keepSentCopy = true,
  ): Promise<SentThread> {
    const at = store.stamp();
    const from = lower(mail.from);
    const shared: Partial<WireMessage> = {
      subject: mail.subject,
      bodyPreview: mail.body.slice(0, 255),
      body: { contentType: 'text', content: mail.body },
      from: person(from),
      sender: person(from),
      toRecipients: mail.to.map(person),
      ccRecipients: (mail.cc ?? []).map(person),
      conversationId: thread?.conversationId ?? graphId('AAQkAGI2'),
      conversationIndex: thread
        ? childConversationIndex(thread.parentIndex)
        : rootConversationIndex(new Date(at)),
      internetMessageId: internetMessageId(domainOf(from)),
      sentDateTime: at,
      receivedDateTime: at,
      createdDateTime: at,
      lastModifiedDateTime: at,
    };
    const copies: Record<string, string> = {};
    if (keepSentCopy && store.mailboxes.has(from)) {
      const copy = await addMessage(from, 'sentitems', {
        ...shared,
        id: graphId(),
        isRead: true,
        categories: mail.categories ?? [],
      });
      copies[from] = copy.id;
    }
    for (const address of new Set([...mail.to, ...(mail.cc ?? [])].map(lower))) {
      if (!store.mailboxes.has(address) || copies[address]) continue;
      const copy = await addMessage(address, 'inbox', { ...shared, id: graphId() });
      copies[address] = copy.id;
    }
    return { conversationId: shared.conversationId!, internetMessageId: shared.internetMessageId!, copies };
  }

  function latestOf(conversationId: string): WireMessage {
    const thread = store.liveMessages().filter((m) => m.conversationId === conversationId);
    if (thread.length === 0) throw new Error(`simulator: no conversation ${conversationId}`);
    return thread.reduce((a, b) => ((a.sentDateTime ?? '') >= (b.sentDateTime ?? '') ? a : b));
  }

  return {
    addMailbox,
    addMessage,
    async seedMailbox(seed) {
      addMailbox(seed.user, seed.displayName);
      for (const [folder, messages] of Object.entries(seed.folders ?? {})) {
        for (const message of messages) await addMessage(seed.user, folder, message);
      }
      for (const event of seed.events ?? []) {
        const stored = completeEvent(event, event.lastModifiedDateTime ?? store.stamp(), lower(seed.user));
        await apply(store.putEvent(lower(seed.user), stored));
      }
    },
    async deliver(from, message, saveToSentItems) {
      const to = (message.toRecipients ?? []).map((r) => r.emailAddress!.address!);
      const body = message.body?.content ?? '';
      const cc = (message.ccRecipients ?? []).map((r) => r.emailAddress!.address!);
      await send({ from, to, cc, subject: message.subject ?? '', body }, undefined, saveToSentItems);
    },
    async updateMessage(id, patch) {
      await apply(store.updateMessage(id, patch));
      return store.messageEntry(id)!.item;
    },
    async deleteMessage(id) {
      await apply(store.removeMessage(id));
    },
    sendMessage: (mail) => send(mail),
    sendApprovalRequest(mail) {
      const tag = mail.tag ?? '[Approval]';
      const subject = mail.subject.toLowerCase().includes(tag.toLowerCase())
        ? mail.subject
        : `${tag} ${mail.subject}`;
      return send({ ...mail, subject });
    },
    async reply({ conversationId, from, body, categories, replyAll }) {
      const parent = latestOf(conversationId);
      const sender = lower(from);
      const parentFrom = lower(parent.from?.emailAddress?.address ?? '');
      const others = [...(parent.toRecipients ?? []), ...(parent.ccRecipients ?? [])]
        .map((r) => lower(r.emailAddress?.address ?? ''))
        .filter((a) => a && a !== sender);
      const to = parentFrom && parentFrom !== sender ? [parentFrom] : others.slice(0, 1);
      const cc = replyAll ? others.filter((a) => !to.includes(a)) : [];
      const subject = `RE: ${(parent.subject ?? '').replace(/^(re|fw|fwd):\s*/i, '')}`;
      // Outlook's preview starts with the new text and continues into the quoted header.
      const quoted = `${body}\r\n\r\nFrom: ${parent.from?.emailAddress?.name} <${parentFrom}>\r\nSent: ${parent.sentDateTime}\r\nSubject: ${parent.subject}`;
      const thread = await send(
        { from: sender, to, cc, subject, body: quoted, categories },
        { conversationId, parentIndex: parent.conversationIndex ?? rootConversationIndex(new Date()) },
      );
      return thread;
    },
    async createMeeting({ organizer, subject, start, end, attendees }) {
      const key = lower(organizer);
      addMailbox(key);
      const event = completeEvent(
        {
          subject,
          start: { dateTime: graphLocalTime(start), timeZone: 'UTC' },
          end: { dateTime: graphLocalTime(end), timeZone: 'UTC' },
          attendees: attendees.map((a) => ({ ...attendee(lower(a)), emailAddress: person(a).emailAddress })),
        },
        store.stamp(),
        key,
      );
      event.organizer = person(key);
      await apply(store.putEvent(key, event));
      return event;
    },
    async respondToMeeting(eventId, address, response) {
      const entry = store.eventEntry(eventId);
      if (!entry) throw new Error(`simulator: no event ${eventId}`);
      const time = store.stamp();
      const attendees = (entry.item.attendees ?? []).map((a) =>
        lower(a.emailAddress?.address ?? '') === lower(address) ? { ...a, status: { response, time } } : a,
      );
      await apply(store.updateEvent(eventId, { attendees }));
      return store.eventEntry(eventId)!.item;
    },
    async updateEvent(id, patch) {
      await apply(store.updateEvent(id, patch));
      return store.eventEntry(id)!.item;
    },
    async deleteEvent(id) {
      await apply(store.removeEvent(id));
    },
    messages: (mailbox, folder) => store.liveMessages(mailbox && lower(mailbox), folder && lower(folder)),
    events: (mailbox) => store.liveEvents(mailbox && lower(mailbox)),
  };
}
