import type { ConnectorContext } from '../../src/connectors/kit/index.js';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { tombstonesBelow } from './changes.js';
import type { driveClientFor } from './client.js';
import { type DriveConfig, scopeRoots } from './config.js';
import type { DriveCursor } from './cursor.js';
import { driveCall } from './drive-call.js';
import type { PullSession } from './pull-session.js';

/** Names of scope roots, read from Drive; a root Baton cannot see is a configuration error. */
export async function rootNames(
  ctx: ConnectorContext<DriveConfig>,
  drive: ReturnType<typeof driveClientFor>,
  ids: string[],
): Promise<Record<string, string>> {
  const roots: Record<string, string> = {};
  for (const id of ids) {
    try {
      const root = await driveCall(ctx, () =>
        drive.files.get({ fileId: id, fields: 'id,name,mimeType', supportsAllDrives: true }),
      );
      roots[id] = root.name ?? id;
    } catch (error) {
      if (error instanceof ConnectorHttpError && error.code === 'not_found') {
        throw new ConnectorHttpError(
          'not_found',
          `folder or shared drive ${id} is not visible to Baton`,
          404,
        );
      }
      throw error;
    }
  }
  return roots;
}

/**
 * The settings' folders may have changed since the cursor was written. A folder added to the
 * scope is listed (from the cursor's changes position, so nothing changing meanwhile is lost);
 * the files Baton holds below a folder taken out of it get tombstones — unless that folder still
 * lies below another scoped folder, where it simply stops being a root.
 */
export async function followScopeChange(
  session: PullSession,
  cursor: DriveCursor,
): Promise<{ cursor: DriveCursor; records: SourceRecord[] }> {
  const { tree, ctx } = session;
  const wanted = scopeRoots(ctx.config);
  const added = wanted.filter((id) => !tree.isRoot(id));
  const dropped = Object.keys(tree.roots).filter((id) => !wanted.includes(id));
  if (added.length === 0 && dropped.length === 0) return { cursor, records: [] };

  const records: SourceRecord[] = [];
  const at = ctx.now().toISOString();
  for (const id of dropped) {
    delete tree.roots[id];
    tree.forgetOutside();
    const folder = await session.lookupFolder(id);
    const parent = folder?.parents?.[0];
    if (parent && !folder?.trashed && (await tree.place(parent))) {
      tree.add(id, parent, folder?.name ?? id);
      continue;
    }
    tree.removeSubtree(id);
    records.push(...(await tombstonesBelow(session, id, at)));
  }
  Object.assign(tree.roots, await rootNames(ctx, session.drive, added));

  if (cursor.phase === 'changes') {
    const next: DriveCursor = added.length
      ? { ...cursor, phase: 'listing', startToken: cursor.pageToken, queue: added }
      : cursor;
    return { cursor: next, records };
  }
  const queue = cursor.queue.filter((id) => !dropped.includes(id) || tree.knows(id));
  const sameHead = queue[0] === cursor.queue[0];
  return {
    cursor: {
      ...cursor,
      queue: [...queue, ...added],
      listPageToken: sameHead ? cursor.listPageToken : undefined,
    },
    records,
  };
}
