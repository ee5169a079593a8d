import type { Client } from '@microsoft/microsoft-graph-client';
import {
  type ConnectorContext,
  ConnectorHttpError,
  type Json,
  type PullPage,
  tombstone,
} from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { graphClient } from './client.js';
import type { OutlookConfig } from './config.js';
import { onMessage, onMessageRemoved } from './conversations.js';
import { type OutlookCursor, prune, readCursor, toJson } from './cursor.js';
import {
  calendarWindow,
  type DeltaPage,
  eventPage,
  linkIsUsable,
  messagePage,
  planStreams,
  type Stream,
  windowIsStale,
} from './delta.js';
import {
  conversationItemId,
  eventItemId,
  eventRecord,
  messageId,
  plainMessageRecord,
  SOURCE,
} from './normalize.js';
import type { DeltaEvent, DeltaMessage } from './wire.js';

type Ctx = ConnectorContext<OutlookConfig>;

/**
 * Incremental pull over Graph delta queries. Each stream is followed from its stored link through
 * @odata.nextLink pages to an @odata.deltaLink; every page is yielded with the cursor after it,
 * so a pull resumes from any yielded cursor. A resync answer restarts that one stream from
 * scratch; what the restart re-reads is not yielded again in the same pull (same id and
 * lastModifiedDateTime), and never-regress makes what it re-yields in later pulls harmless.
 */
export async function* pullOutlook(ctx: Ctx, cursorJson: Json): AsyncGenerator<PullPage> {
  const { cursor, valid } = readCursor(cursorJson);
  if (!valid) ctx.log.warn({ connection: ctx.connection }, 'unreadable outlook cursor; starting over');
  const streams = planStreams(ctx.config);
  prune(
    cursor,
    ctx.now(),
    ctx.config.approval.memoryDays,
    streams.map((s) => s.key),
  );
  const session = new PullSession(ctx, graphClient(ctx.config), cursor);
  for (const stream of streams) yield* session.walk(stream);
}

class PullSession {
  /** `id@lastModifiedDateTime` of every item handled in this pull (delta may repeat an item). */
  private readonly seen = new Set<string>();
  /** External ids yielded alive in this pull: a removal later in the pull must still tombstone them. */
  private readonly yielded = new Set<string>();
  private known?: Set<string>;

  constructor(
    private readonly ctx: Ctx,
    private readonly client: Client,
    private readonly cursor: OutlookCursor,
  ) {}

  async *walk(stream: Stream): AsyncGenerator<PullPage> {
    const { config } = this.ctx;
    const state = { ...this.cursor.streams[stream.key] };
    // The calendar window moves only between rounds: a nextLink belongs to its round's window.
    if (stream.kind === 'calendar' && !state.midRound) {
      if (windowIsStale(state.windowEnd, this.ctx.now(), config.calendarWindowDays)) state.link = undefined;
    }
    let link = linkIsUsable(state.link, config.baseUrl) ? state.link : undefined;
    let restarted = false;
    for (;;) {
      if (stream.kind === 'calendar' && !link) {
        const window = calendarWindow(this.ctx.now(), config.calendarWindowDays);
        state.windowStart = window.start;
        state.windowEnd = window.end;
      }
      const page = await this.fetch(stream, link, state);
      if (page.kind === 'resync') {
        if (!link || restarted) {
          throw new ConnectorHttpError(
            'unavailable',
            `delta for ${stream.key} asks for a resync on a fresh start`,
          );
        }
        this.ctx.log.info(
          { connection: this.ctx.connection, stream: stream.key },
          'delta token expired; resyncing',
        );
        link = undefined;
        restarted = true;
        continue;
      }
      const records = await this.handle(stream, page.items);
      link = page.nextLink ?? page.deltaLink;
      if (!link)
        throw new ConnectorHttpError('bad_request', `delta page for ${stream.key} has no next or delta link`);
      this.cursor.streams[stream.key] = { ...state, link, midRound: page.nextLink !== undefined };
      yield { records: mergeById(records), cursor: toJson(this.cursor) };
      if (!page.nextLink) return;
    }
  }

  private fetch(
    stream: Stream,
    link: string | undefined,
    state: { windowStart?: string; windowEnd?: string },
  ) {
    if (stream.kind === 'mail') return messagePage(this.ctx, this.client, stream, link);
    const window = { start: state.windowStart!, end: state.windowEnd! };
    return eventPage(this.ctx, this.client, stream, link, window) as Promise<DeltaPage<DeltaEvent>>;
  }

  private async handle(stream: Stream, items: (DeltaMessage | DeltaEvent)[]): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    for (const item of items) {
      const removed = item['@removed'] !== undefined;
      const version = `${item.id}@${removed ? 'removed' : (item.lastModifiedDateTime ?? '')}`;
      if (this.seen.has(version)) continue;
      this.seen.add(version);
      if (stream.kind === 'calendar')
        records.push(...(await this.onEvent(stream, item as DeltaEvent, removed)));
      else records.push(...(await this.onMessage(stream, item as DeltaMessage, removed)));
    }
    for (const record of records) if (!record.deleted) this.yielded.add(record.externalId);
    return records;
  }

  private async onMessage(
    stream: Extract<Stream, { kind: 'mail' }>,
    message: DeltaMessage,
    removed: boolean,
  ): Promise<SourceRecord[]> {
    const now = this.ctx.now();
    if (removed) {
      const { conversationId } = onMessageRemoved(this.cursor, message.id);
      if (conversationId) return [tombstone(SOURCE, conversationItemId(conversationId), 'message', now)];
      return (await this.isKnown(messageId(message.id)))
        ? [tombstone(SOURCE, messageId(message.id), 'message', now)]
        : [];
    }
    if (message.isDraft) return [];
    const outcome = onMessage(this.cursor, message, stream.mailbox, stream.folder, this.ctx.config);
    if (outcome.kind === 'records') {
      // A message that was yielded as a plain message before it became an approval request.
      const plain = outcome.convertedPlainId ? messageId(outcome.convertedPlainId) : undefined;
      const gone = plain && (await this.isKnown(plain)) ? [tombstone(SOURCE, plain, 'message', now)] : [];
      return [...gone, ...outcome.records];
    }
    if (outcome.kind === 'held' || !this.ctx.config.plainMessages) return [];
    return [plainMessageRecord(message, stream.mailbox, stream.folder, this.ctx.config)];
  }

  private async onEvent(
    stream: Extract<Stream, { kind: 'calendar' }>,
    event: DeltaEvent,
    removed: boolean,
  ): Promise<SourceRecord[]> {
    const id = eventItemId(event.id);
    if (removed) return (await this.isKnown(id)) ? [tombstone(SOURCE, id, 'event', this.ctx.now())] : [];
    return [eventRecord(event, stream.mailbox, this.ctx.config)];
  }

  /** Removals only tombstone items Baton holds (or that this pull yielded): no rows for strangers. */
  private async isKnown(externalId: string): Promise<boolean> {
    if (this.yielded.has(externalId)) return true;
    this.known ??= await this.ctx.knownExternalIds();
    return this.known.has(externalId);
  }
}

/**
 * Records of one page for the same item become one: the last record's fields, every activity,
 * the latest updatedAt; a tombstone wins over what came before it.
 */
function mergeById(records: SourceRecord[]): SourceRecord[] {
  const out = new Map<string, SourceRecord>();
  for (const record of records) {
    const before = out.get(record.externalId);
    out.delete(record.externalId);
    if (!before || record.deleted || before.deleted) {
      out.set(record.externalId, record);
      continue;
    }
    const ids = new Set(record.activity.map((a) => a.id));
    out.set(record.externalId, {
      ...record,
      updatedAt: [record.updatedAt, before.updatedAt].sort()[1],
      activity: [...before.activity.filter((a) => !ids.has(a.id)), ...record.activity],
    });
  }
  return [...out.values()];
}
