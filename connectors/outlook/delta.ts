import type { Client } from '@microsoft/microsoft-graph-client';
import { type ConnectorContext, historyStart } from '../../src/connectors/kit/index.js';
import { graphCall, isResyncRequired, userPath } from './client.js';
import type { OutlookConfig } from './config.js';
import { type DeltaEvent, type DeltaMessage, type DeltaResponse, MESSAGE_FIELDS } from './wire.js';

/**
 * One delta stream per (mailbox, folder) and per mailbox calendar view, in the order a pull walks
 * them: within a mailbox, sent items first, so a request the mailbox sent is known before the
 * replies in its inbox (delta pages have no order across folders).
 */
export type Stream =
  | { key: string; kind: 'mail'; mailbox: string; folder: string }
  | { key: string; kind: 'calendar'; mailbox: string };

export function planStreams(config: OutlookConfig): Stream[] {
  return config.mailboxes.flatMap((box): Stream[] => {
    const mailbox = box.user.toLowerCase();
    const folders = [...new Set(box.folders)].sort((a, b) => rank(a) - rank(b));
    const mail = folders.map((folder) => ({
      key: `${mailbox}/mail/${folder}`,
      kind: 'mail' as const,
      mailbox,
      folder,
    }));
    return box.calendars
      ? [...mail, { key: `${mailbox}/calendar`, kind: 'calendar' as const, mailbox }]
      : mail;
  });
}

const rank = (folder: string) => (folder.toLowerCase() === 'sentitems' ? 0 : 1);

export type DeltaPage<T> =
  | { kind: 'page'; items: T[]; nextLink?: string; deltaLink?: string }
  /** The token expired or the service asks for a resync (410, syncStateNotFound …). */
  | { kind: 'resync' };

type Ctx = ConnectorContext<OutlookConfig>;

/**
 * Preferences for every delta call: page size, immutable ids (a message keeps its id when moved
 * between folders) and UTC times for events.
 */
function prefer(config: OutlookConfig): string {
  return `odata.maxpagesize=${config.pageSize}, IdType="ImmutableId", outlook.timezone="UTC"`;
}

export async function messagePage(
  ctx: Ctx,
  client: Client,
  stream: Extract<Stream, { kind: 'mail' }>,
  link: string | undefined,
): Promise<DeltaPage<DeltaMessage>> {
  const fields = MESSAGE_FIELDS.filter((f) => f !== 'bodyPreview' || ctx.config.bodyPreviewLines > 0);
  const days = ctx.config.historyDays;
  const since = days === undefined ? undefined : historyStart(ctx.now(), days);
  return fetchPage<DeltaMessage>(ctx, () => {
    let request = link
      ? client.api(link)
      : client
          .api(
            `/users/${userPath(stream.mailbox)}/mailFolders/${encodeURIComponent(stream.folder)}/messages/delta`,
          )
          .select([...fields]);
    // The only filter message delta takes; Graph carries it in the round's next and delta links.
    if (!link && since) request = request.filter(`receivedDateTime ge ${since}`);
    return request.header('Prefer', prefer(ctx.config)).get();
  });
}

export async function eventPage(
  ctx: Ctx,
  client: Client,
  stream: Extract<Stream, { kind: 'calendar' }>,
  link: string | undefined,
  window: { start: string; end: string },
): Promise<DeltaPage<DeltaEvent>> {
  return fetchPage<DeltaEvent>(ctx, () => {
    const request = link
      ? client.api(link)
      : client
          .api(`/users/${userPath(stream.mailbox)}/calendarView/delta`)
          .query({ startDateTime: window.start, endDateTime: window.end });
    return request.header('Prefer', prefer(ctx.config)).get();
  });
}

async function fetchPage<T>(ctx: Ctx, request: () => Promise<DeltaResponse<T>>): Promise<DeltaPage<T>> {
  // A resync answer is a result, not a failure: it is caught inside the paced call so the pacer
  // neither retries it nor reports the connection as broken.
  const answer = await ctx.http.run(async () => {
    try {
      return { ok: true as const, body: await graphCall(request) };
    } catch (error) {
      if (isResyncRequired(error)) return { ok: false as const };
      throw error;
    }
  });
  if (!answer.ok) return { kind: 'resync' };
  const body = answer.body ?? {};
  return {
    kind: 'page',
    items: body.value ?? [],
    nextLink: body['@odata.nextLink'],
    deltaLink: body['@odata.nextLink'] ? undefined : body['@odata.deltaLink'],
  };
}

/**
 * The calendar view the delta token covers: from a week back (recent decision meetings and their
 * answers) to `calendarWindowDays` ahead, on whole UTC days. Graph fixes the range in the token,
 * so the window moves by starting a new initial sync once it has slid by a week.
 */
export function calendarWindow(now: Date, days: number): { start: string; end: string } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    start: new Date(day - 7 * 86_400_000).toISOString(),
    end: new Date(day + days * 86_400_000).toISOString(),
  };
}

export function windowIsStale(windowEnd: string | undefined, now: Date, days: number): boolean {
  if (!windowEnd) return true;
  return Date.parse(windowEnd) < Date.parse(calendarWindow(now, days).end) - 7 * 86_400_000;
}

/** A stored link must point at the configured Graph origin; one that does not starts the stream over. */
export function linkIsUsable(link: string | undefined, baseUrl: string): link is string {
  if (!link) return false;
  try {
    const url = new URL(link);
    return url.origin === new URL(baseUrl).origin && url.protocol === 'https:';
  } catch {
    return false;
  }
}
