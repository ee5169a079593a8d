import { z } from 'zod';
import type { Json } from '../../src/connectors/kit/index.js';

/**
 * Where a Drive pull stands. Two phases:
 * - `listing` (first sync): the changes start token taken BEFORE listing, and the folders still
 *   to list (the head of `queue` is being paged with `listPageToken`);
 * - `changes`: the changes.list page token to read next.
 * Both carry the folder tree known to be in scope, so a later pull can tell whether a changed
 * file lies under a scoped folder without asking Drive again.
 */

/** folder id → [parent folder id, folder name]; roots are not in here. */
const FolderMap = z.record(z.string(), z.tuple([z.string(), z.string()]));

const Common = {
  v: z.literal(1),
  /** Scope root id → name (configured folders and shared drives). */
  roots: z.record(z.string(), z.string()),
  folders: FolderMap,
  /** Set when approvals.list answered 403/404: the edition or the admin does not allow approvals. */
  approvalsUnavailable: z.literal(true).optional(),
  approvalsCheckedAt: z.string().optional(),
  approvalsReason: z.string().optional(),
};

export const ListingCursor = z.object({
  ...Common,
  phase: z.literal('listing'),
  startToken: z.string(),
  queue: z.array(z.string()),
  listPageToken: z.string().optional(),
});

export const ChangesCursor = z.object({
  ...Common,
  phase: z.literal('changes'),
  pageToken: z.string(),
});

export const DriveCursor = z.discriminatedUnion('phase', [ListingCursor, ChangesCursor]);
export type DriveCursor = z.infer<typeof DriveCursor>;
export type ListingCursor = z.infer<typeof ListingCursor>;
export type ChangesCursor = z.infer<typeof ChangesCursor>;

/** null (never synced) stays null; anything else must be a cursor this connector wrote. */
export function readCursor(cursor: Json): DriveCursor | null {
  if (cursor === null) return null;
  const parsed = DriveCursor.safeParse(cursor);
  if (!parsed.success) throw new Error(`not a Drive cursor: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Drops undefined keys so the cursor is plain JSON. */
export function writeCursor(cursor: DriveCursor): Json {
  return JSON.parse(JSON.stringify(cursor)) as Json;
}
