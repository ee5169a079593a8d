import type { ConnectorContext, Json, PullPage } from '../../src/connectors/kit/index.js';
import { applyChanges, changeFields } from './changes.js';
import { driveClientFor } from './client.js';
import { type DriveConfig, scopeRoots } from './config.js';
import { type ChangesCursor, type DriveCursor, type ListingCursor, readCursor } from './cursor.js';
import { driveCall } from './drive-call.js';
import { SHORTCUT_MIME } from './folder-tree.js';
import { FILE_FIELDS, isFolder, PullSession } from './pull-session.js';
import { followScopeChange, rootNames } from './scope-change.js';

/** changes.list's largest page. */
const CHANGES_PAGE_SIZE = 1000;

/**
 * Incremental pull. First sync: take the changes start token FIRST (so nothing that changes
 * while listing is lost), list the scoped folders recursively, then read changes from that
 * token. Later pulls read the changes feed from the cursor. Every page's cursor resumes exactly
 * after that page.
 */
export async function* pullDrive(
  ctx: ConnectorContext<DriveConfig>,
  cursorJson: Json,
): AsyncGenerator<PullPage> {
  const drive = driveClientFor(ctx.config);
  const stored = readCursor(cursorJson);
  const start = stored ?? (await beginListing(ctx, drive));
  const session = new PullSession(ctx, drive, start);
  let cursor = start;
  if (stored) {
    const changed = await followScopeChange(session, stored);
    cursor = changed.cursor;
    if (changed.records.length)
      yield { records: changed.records, cursor: session.cursor(positionOf(cursor)) };
  }
  let changesToken: string;
  if (cursor.phase === 'listing') {
    let listing = cursor;
    while (listing.queue.length > 0) {
      const { records, next } = await listOnePage(session, listing);
      listing = next;
      const at = next.queue.length > 0 ? positionOf(next) : { phase: 'changes', pageToken: next.startToken };
      yield { records, cursor: session.cursor(at) };
    }
    changesToken = listing.startToken;
  } else {
    changesToken = cursor.pageToken;
  }
  yield* readChanges(session, changesToken);
}

async function beginListing(
  ctx: ConnectorContext<DriveConfig>,
  drive: ReturnType<typeof driveClientFor>,
): Promise<ListingCursor> {
  const start = await driveCall(ctx, () => drive.changes.getStartPageToken({ supportsAllDrives: true }));
  if (!start.startPageToken) throw new Error('changes.getStartPageToken answered without a token');
  const roots = await rootNames(ctx, drive, scopeRoots(ctx.config));
  return {
    v: 1,
    phase: 'listing',
    startToken: start.startPageToken,
    queue: Object.keys(roots),
    roots,
    folders: {},
  };
}

/** One files.list page of the folder at the head of the queue; subfolders join the queue. */
async function listOnePage(session: PullSession, cursor: ListingCursor) {
  const folderId = cursor.queue[0];
  const page = await session.listPage(folderId, cursor.listPageToken);
  const queue = [...cursor.queue];
  const placement = session.tree.placementIn(folderId)!;
  const pending = [];
  for (const file of page.files ?? []) {
    if (isFolder(file)) {
      // A scoped folder nested in another is listed once, as its own root.
      if (session.tree.isRoot(file.id!)) continue;
      session.tree.add(file.id!, folderId, file.name ?? file.id!);
      queue.push(file.id!);
    } else if (file.mimeType !== SHORTCUT_MIME) {
      pending.push({ file, placement });
    }
  }
  const records = await session.describe(pending);
  const nextPage = page.nextPageToken ?? undefined;
  if (!nextPage) queue.shift();
  const next: ListingCursor = { ...cursor, queue, listPageToken: nextPage };
  return { records, next };
}

/** The part of a cursor that says where the pull stands (the session adds the tree). */
function positionOf(cursor: DriveCursor): Record<string, unknown> {
  if (cursor.phase === 'changes') return { phase: 'changes', pageToken: cursor.pageToken };
  const { startToken, queue, listPageToken } = cursor;
  return { phase: 'listing', startToken, queue, listPageToken };
}

async function* readChanges(session: PullSession, from: string): AsyncGenerator<PullPage> {
  let pageToken = from;
  for (;;) {
    const page = await driveCall(session.ctx, () =>
      session.drive.changes.list({
        pageToken,
        pageSize: CHANGES_PAGE_SIZE,
        fields: changeFields(FILE_FIELDS),
        includeRemoved: true,
        spaces: 'drive',
        ...session.driveScope,
      }),
    );
    const records = await applyChanges(session, page.changes ?? []);
    const next = page.nextPageToken ?? page.newStartPageToken;
    if (!next) throw new Error('changes.list answered without nextPageToken or newStartPageToken');
    const cursor: Omit<ChangesCursor, 'v' | 'roots' | 'folders'> = { phase: 'changes', pageToken: next };
    yield { records, cursor: session.cursor(cursor) };
    if (!page.nextPageToken) return;
    pageToken = next;
  }
}
