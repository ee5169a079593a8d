import { changeKey, type WireEvent, type WireMessage } from './simulator-wire.js';

/**
 * The simulator's mailboxes and their delta state. Every change takes the next sequence number;
 * a delta round is "changes with a sequence in (since, upTo]", paged by sequence (keyset, so an
 * item changing mid-round is never skipped: it leaves this round and shows up in the next).
 * Tokens are opaque to clients (base64url JSON) and carry a generation: bumping it expires them all.
 */

export interface MailboxInfo {
  user: string;
  displayName: string;
  /** Directory object id, as notifications name users. */
  guid: string;
}

interface Entry<T> {
  mailbox: string;
  folder: string;
  item: T;
  seq: number;
  deleted: boolean;
}

export type Change = {
  changeType: 'created' | 'updated' | 'deleted';
  kind: 'message' | 'event';
  mailbox: string;
  folder: string;
  id: string;
};

interface Token {
  g: number;
  kind: 'message' | 'event';
  mailbox: string;
  folder: string;
  since: number;
  upTo?: number;
  after?: number;
  select?: string[];
  start?: string;
  end?: string;
  /** Message delta's `$filter`, kept for the whole round and later rounds. */
  received?: ReceivedFilter;
}

/** Message delta's one filter: `receivedDateTime ge|gt <instant>`. */
export interface ReceivedFilter {
  op: 'ge' | 'gt';
  at: string;
}

export type DeltaQuery =
  | {
      kind: 'initial';
      select?: string[];
      start?: string;
      end?: string;
      received?: ReceivedFilter;
    }
  | { kind: 'token'; token: string };

export type DeltaAnswer =
  | { kind: 'page'; value: Record<string, unknown>[]; skipToken?: string; deltaToken?: string }
  | { kind: 'expired' };

export class SimulatorStore {
  private seq = 0;
  private generation = 1;
  private lastAt = 0;
  readonly mailboxes = new Map<string, MailboxInfo>();
  readonly messages = new Map<string, Entry<WireMessage>>();
  readonly events = new Map<string, Entry<WireEvent>>();

  constructor(private readonly clock: () => Date) {}

  /** A change time strictly after the previous one, so lastModifiedDateTime always moves forward. */
  stamp(): string {
    this.lastAt = Math.max(this.clock().getTime(), this.lastAt + 1);
    return new Date(this.lastAt).toISOString();
  }

  expireTokens(): void {
    this.generation += 1;
  }

  putMessage(mailbox: string, folder: string, message: WireMessage): Change {
    const existing = this.messages.get(message.id);
    this.messages.set(message.id, { mailbox, folder, item: message, seq: ++this.seq, deleted: false });
    return { changeType: existing ? 'updated' : 'created', kind: 'message', mailbox, folder, id: message.id };
  }

  updateMessage(id: string, patch: Partial<WireMessage>): Change {
    const entry = this.live(this.messages, id);
    entry.item = { ...entry.item, ...patch, lastModifiedDateTime: this.stamp(), changeKey: changeKey() };
    entry.seq = ++this.seq;
    return { changeType: 'updated', kind: 'message', mailbox: entry.mailbox, folder: entry.folder, id };
  }

  removeMessage(id: string): Change {
    const entry = this.live(this.messages, id);
    entry.deleted = true;
    entry.seq = ++this.seq;
    return { changeType: 'deleted', kind: 'message', mailbox: entry.mailbox, folder: entry.folder, id };
  }

  putEvent(mailbox: string, event: WireEvent): Change {
    const existing = this.events.get(event.id);
    this.events.set(event.id, { mailbox, folder: 'calendar', item: event, seq: ++this.seq, deleted: false });
    return {
      changeType: existing ? 'updated' : 'created',
      kind: 'event',
      mailbox,
      folder: 'calendar',
      id: event.id,
    };
  }

  updateEvent(id: string, patch: Partial<WireEvent>): Change {
    const entry = this.live(this.events, id);
    entry.item = { ...entry.item, ...patch, lastModifiedDateTime: this.stamp(), changeKey: changeKey() };
    entry.seq = ++this.seq;
    return { changeType: 'updated', kind: 'event', mailbox: entry.mailbox, folder: 'calendar', id };
  }

  removeEvent(id: string): Change {
    const entry = this.live(this.events, id);
    entry.deleted = true;
    entry.seq = ++this.seq;
    return { changeType: 'deleted', kind: 'event', mailbox: entry.mailbox, folder: 'calendar', id };
  }

  liveMessages(mailbox?: string, folder?: string): WireMessage[] {
    return [...this.messages.values()]
      .filter((e) => !e.deleted && (!mailbox || e.mailbox === mailbox) && (!folder || e.folder === folder))
      .map((e) => e.item);
  }

  liveEvents(mailbox?: string): WireEvent[] {
    return [...this.events.values()]
      .filter((e) => !e.deleted && (!mailbox || e.mailbox === mailbox))
      .map((e) => e.item);
  }

  messageEntry(id: string) {
    return this.messages.get(id);
  }

  eventEntry(id: string) {
    return this.events.get(id);
  }

  messageDelta(mailbox: string, folder: string, query: DeltaQuery, pageSize: number): DeltaAnswer {
    const token = this.open(query, 'message', mailbox, folder);
    if (!token) return { kind: 'expired' };
    const received = token.received;
    const inWindow = (message: WireMessage) => {
      if (!received) return true;
      const at = Date.parse(String(message.receivedDateTime));
      const from = Date.parse(received.at);
      return received.op === 'ge' ? at >= from : at > from;
    };
    const entries = [...this.messages.values()].filter(
      (e) => e.mailbox === mailbox && e.folder === folder && inWindow(e.item),
    );
    return this.page(token, entries, pageSize, (entry) => {
      if (entry.deleted) return removed('#microsoft.graph.message', entry.item.id);
      return project(entry.item, '#microsoft.graph.message', token.select);
    });
  }

  eventDelta(mailbox: string, query: DeltaQuery, pageSize: number): DeltaAnswer {
    const token = this.open(query, 'event', mailbox, 'calendar');
    if (!token) return { kind: 'expired' };
    const inWindow = (event: WireEvent) =>
      Date.parse(`${event.start?.dateTime}Z`) < Date.parse(token.end!) &&
      Date.parse(`${event.end?.dateTime}Z`) > Date.parse(token.start!);
    const entries = [...this.events.values()].filter(
      (e) => e.mailbox === mailbox && (token.since > 0 || inWindow(e.item)),
    );
    // Within a tracked round, events deleted or moved out of the window come back as @removed.
    return this.page(token, entries, pageSize, (entry) =>
      entry.deleted || !inWindow(entry.item)
        ? removed('#microsoft.graph.event', entry.item.id)
        : project(entry.item, '#microsoft.graph.event', undefined),
    );
  }

  private page<T>(
    token: Token,
    entries: Entry<T>[],
    pageSize: number,
    render: (entry: Entry<T>) => Record<string, unknown>,
  ): DeltaAnswer {
    const upTo = token.upTo ?? this.seq;
    const after = token.after ?? token.since;
    const due = entries
      .filter((e) => e.seq > after && e.seq <= upTo && !(token.since === 0 && e.deleted))
      .sort((a, b) => a.seq - b.seq);
    const slice = due.slice(0, pageSize);
    const value = slice.map(render);
    if (due.length > pageSize) {
      return {
        kind: 'page',
        value,
        skipToken: encode({ ...token, upTo, after: slice[slice.length - 1].seq }),
      };
    }
    return {
      kind: 'page',
      value,
      deltaToken: encode({ ...token, since: upTo, upTo: undefined, after: undefined }),
    };
  }

  private open(query: DeltaQuery, kind: Token['kind'], mailbox: string, folder: string): Token | undefined {
    if (query.kind === 'initial') {
      return {
        g: this.generation,
        kind,
        mailbox,
        folder,
        since: 0,
        select: query.select,
        start: query.start,
        end: query.end,
        received: query.received,
      };
    }
    const token = decode(query.token);
    if (!token || token.g !== this.generation || token.kind !== kind) return undefined;
    if (token.mailbox !== mailbox || token.folder !== folder) return undefined;
    return token;
  }

  private live<T>(map: Map<string, Entry<T>>, id: string): Entry<T> {
    const entry = map.get(id);
    if (!entry || entry.deleted) throw new Error(`simulator: no item ${id}`);
    return entry;
  }
}

function removed(type: string, id: string): Record<string, unknown> {
  return { '@odata.type': type, id, '@removed': { reason: 'deleted' } };
}

function project(item: object, type: string, select: string[] | undefined): Record<string, unknown> {
  const full = item as Record<string, unknown>;
  const etag = `W/"${String(full.changeKey ?? '')}"`;
  if (!select) return { '@odata.type': type, '@odata.etag': etag, ...full };
  const out: Record<string, unknown> = { '@odata.type': type, '@odata.etag': etag };
  for (const field of select) if (field in full) out[field] = full[field];
  out.id = full.id;
  return out;
}

function encode(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(text: string): Token | undefined {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
  } catch {
    return undefined;
  }
}
