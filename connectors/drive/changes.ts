import type { drive_v3 } from '@googleapis/drive';
import { tombstone } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { SHORTCUT_MIME } from './folder-tree.js';
import { DRIVE } from './normalize.js';
import { isFolder, type PendingFile, type PullSession } from './pull-session.js';

/** The `fields` of changes.list: only what placement and the record need. */
export function changeFields(fileFields: string): string {
  return `nextPageToken,newStartPageToken,changes(changeType,time,removed,fileId,driveId,file(${fileFields}))`;
}

type Outcome = { record: SourceRecord } | { pending: PendingFile };

/**
 * One page of Drive's changes feed → records. The feed covers the whole account, so each change
 * is placed against the scoped folder tree, in feed order (a folder moved earlier in the page
 * decides where later files lie):
 * - a file under a scoped folder → its record (comments and approvals read afterwards, together);
 * - a file that is no longer under one, or removed, that Baton holds → tombstone;
 * - trashed → a record with deleted: true and state `trashed`;
 * - a folder moved into the scope → every file below it; moved out or trashed → tombstones.
 */
export async function applyChanges(session: PullSession, changes: drive_v3.Schema$Change[]) {
  const outcomes = new Map<string, Outcome>();
  for (const change of changes) {
    if (change.changeType === 'drive') continue;
    const id = change.fileId ?? change.file?.id;
    if (!id) continue;
    const at = change.time ?? session.ctx.now().toISOString();
    const file = change.file;
    if (change.removed || !file) {
      if (session.tree.knows(id)) {
        if (!session.tree.isRoot(id)) session.tree.removeSubtree(id);
        session.tree.forgetOutside();
      } else if (await session.isKnown(id)) {
        outcomes.set(id, { record: tombstone(DRIVE, id, 'file', new Date(at)) });
      }
      continue;
    }
    if (isFolder(file)) {
      for (const [fileId, outcome] of await folderChanged(session, file, at)) outcomes.set(fileId, outcome);
      continue;
    }
    if (file.mimeType === SHORTCUT_MIME) continue;
    const placement = await session.tree.place(file.parents?.[0] ?? undefined);
    if (placement) outcomes.set(id, { pending: { file, placement, changeTime: at } });
    else if (await session.isKnown(id))
      outcomes.set(id, { record: tombstone(DRIVE, id, 'file', new Date(at)) });
  }
  const pending = [...outcomes.values()].flatMap((o) => ('pending' in o ? [o.pending] : []));
  const described = new Map((await session.describe(pending)).map((r) => [r.externalId, r]));
  return [...outcomes].map(([id, o]) => ('record' in o ? o.record : described.get(id)!));
}

/** A folder changed: a rename or move inside the scope changes nothing Baton holds; crossing the edge does. */
async function folderChanged(
  session: PullSession,
  folder: drive_v3.Schema$File,
  at: string,
): Promise<[string, Outcome][]> {
  const { tree } = session;
  const id = folder.id!;
  if (tree.isRoot(id)) {
    if (folder.name) tree.roots[id] = folder.name;
    return [];
  }
  const wasIn = tree.knows(id);
  delete tree.folders[id];
  tree.forgetOutside();
  const parent = folder.parents?.[0];
  const placement = folder.trashed ? undefined : await tree.place(parent ?? undefined);
  if (placement && parent) tree.add(id, parent, folder.name ?? id);

  if (wasIn && !placement) {
    tree.removeSubtree(id);
    return leftScope(session, id, at);
  }
  if (!wasIn && placement) return enteredScope(session, id, at);
  return [];
}

/** Every file below a folder that entered the scope, dated by the move so it wins over an old tombstone. */
async function enteredScope(
  session: PullSession,
  folderId: string,
  at: string,
): Promise<[string, Outcome][]> {
  const out: [string, Outcome][] = [];
  const queue = [folderId];
  while (queue.length) {
    const current = queue.shift()!;
    const placement = session.tree.placementIn(current)!;
    for (const child of await session.children(current, false)) {
      if (isFolder(child)) {
        session.tree.add(child.id!, current, child.name ?? child.id!);
        queue.push(child.id!);
      } else if (child.mimeType !== SHORTCUT_MIME) {
        out.push([child.id!, { pending: { file: child, placement, changeTime: at } }]);
      }
    }
  }
  return out;
}

/** Tombstones for the files Baton holds below a folder that left the scope. */
async function leftScope(session: PullSession, folderId: string, at: string): Promise<[string, Outcome][]> {
  const records = await tombstonesBelow(session, folderId, at);
  return records.map((r) => [r.externalId, { record: r }]);
}

/** Every file Baton holds anywhere below a folder (trashed ones included), as a tombstone dated `at`. */
export async function tombstonesBelow(
  session: PullSession,
  folderId: string,
  at: string,
): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const queue = [folderId];
  while (queue.length) {
    const current = queue.shift()!;
    for (const child of await session.children(current, true)) {
      if (isFolder(child)) queue.push(child.id!);
      else if (await session.isKnown(child.id!)) out.push(tombstone(DRIVE, child.id!, 'file', new Date(at)));
    }
  }
  return out;
}
