import type { drive_v3 } from '@googleapis/drive';
import type { ConnectorContext, Json } from '../../src/connectors/kit/index.js';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { type DriveConfig, usesSharedDrives } from './config.js';
import { type DriveCursor, writeCursor } from './cursor.js';
import { driveCall } from './drive-call.js';
import {
  type ApprovalsAvailability,
  listApprovals,
  listComments,
  listPeopleWithAccess,
} from './file-details.js';
import { FOLDER_MIME, FolderTree, type Placement } from './folder-tree.js';
import { People } from './identity.js';
import { normalizeFile } from './normalize.js';

const USER = 'displayName,emailAddress,me';
export const FILE_FIELDS =
  'id,name,mimeType,parents,trashed,trashedTime,createdTime,modifiedTime,webViewLink,version,driveId,' +
  `owners(${USER}),lastModifyingUser(${USER})`;

/** How long an "approvals unavailable" verdict stands before approvals.list is tried again. */
const APPROVALS_RECHECK_MS = 24 * 60 * 60 * 1000;

/** A file waiting for its comments and approvals to be read. */
export interface PendingFile {
  file: drive_v3.Schema$File;
  placement: Placement;
  changeTime?: string;
}

/**
 * What one pull shares across its pages: the client, the in-scope folder tree, whether approvals
 * can be read, and which ids Baton holds (to decide whether a file that left the scope needs a
 * tombstone).
 */
export class PullSession {
  readonly tree: FolderTree;
  readonly approvals: ApprovalsAvailability;
  private known?: Set<string>;
  private readonly yielded = new Set<string>();
  private warned = false;

  constructor(
    readonly ctx: ConnectorContext<DriveConfig>,
    readonly drive: drive_v3.Drive,
    private readonly base: DriveCursor,
  ) {
    this.tree = new FolderTree(base.roots, base.folders, (id) => this.lookupFolder(id));
    const checked = base.approvalsCheckedAt ? Date.parse(base.approvalsCheckedAt) : Number.NaN;
    const stillFresh = ctx.now().getTime() - checked < APPROVALS_RECHECK_MS;
    this.approvals =
      base.approvalsUnavailable && stillFresh
        ? { unavailable: true, reason: base.approvalsReason }
        : { unavailable: false };
  }

  /** Options every files/changes request shares. */
  get driveScope(): { supportsAllDrives: true; includeItemsFromAllDrives?: boolean } {
    // supportsAllDrives only declares that Baton understands shared drives (without it Drive
    // 404s shared-drive files); listing their items is asked for when shared drives are in scope.
    return usesSharedDrives(this.ctx.config)
      ? { supportsAllDrives: true, includeItemsFromAllDrives: true }
      : { supportsAllDrives: true };
  }

  /** The cursor for a position, as a JSON snapshot (the tree keeps changing after a yield). */
  cursor(position: Record<string, unknown>): Json {
    const availability = this.approvals.unavailable
      ? {
          approvalsUnavailable: true as const,
          approvalsCheckedAt: this.approvalsCheckedAt(),
          approvalsReason: this.approvals.reason,
        }
      : {};
    return writeCursor({
      v: 1,
      roots: this.tree.roots,
      folders: this.tree.folders,
      ...availability,
      ...position,
    } as DriveCursor);
  }

  private approvalsCheckedAt(): string {
    if (this.approvals.justFound || !this.base.approvalsCheckedAt) return this.ctx.now().toISOString();
    return this.base.approvalsCheckedAt;
  }

  async isKnown(externalId: string): Promise<boolean> {
    if (this.yielded.has(externalId)) return true;
    this.known ??= await this.ctx.knownExternalIds();
    return this.known.has(externalId);
  }

  /** Reads comments and approvals of each file (concurrently, paced by the kit) and normalises. */
  async describe(pending: PendingFile[]): Promise<SourceRecord[]> {
    const records = await Promise.all(pending.map((p) => this.describeOne(p)));
    if (this.approvals.justFound && !this.warned) {
      this.warned = true;
      this.ctx.log.warn(
        { connection: this.ctx.connection, reason: this.approvals.reason },
        'Drive approvals are not available for this account; approval handoffs from Drive are not tracked',
      );
    }
    for (const r of records) this.yielded.add(r.externalId);
    return records;
  }

  private async describeOne({ file, placement, changeTime }: PendingFile): Promise<SourceRecord> {
    const me =
      'serviceAccount' in this.ctx.config.auth ? this.ctx.config.auth.serviceAccount.subject : undefined;
    if (file.trashed) return normalizeFile({ file, placement, comments: [], approvals: [], changeTime, me });
    const [comments, approvals] = await Promise.all([
      listComments(this.ctx, this.drive, file.id!),
      listApprovals(this.ctx, this.drive, file.id!, this.approvals),
    ]);
    const known = [...(file.owners ?? []), file.lastModifyingUser, ...approvalUsers(approvals)];
    const people = unnamedAuthors(comments, new People(known, me))
      ? await listPeopleWithAccess(this.ctx, this.drive, file.id!)
      : [];
    return normalizeFile({ file, placement, comments, approvals, changeTime, me, people });
  }

  /** Every direct child of a folder, all pages (trashed ones too when asked). */
  async children(folderId: string, includeTrashed: boolean): Promise<drive_v3.Schema$File[]> {
    const out: drive_v3.Schema$File[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.listPage(folderId, pageToken, includeTrashed);
      out.push(...(page.files ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  listPage(folderId: string, pageToken: string | undefined, includeTrashed = false) {
    const q = `'${escapeQuery(folderId)}' in parents${includeTrashed ? '' : ' and trashed = false'}`;
    const corpora = usesSharedDrives(this.ctx.config) ? { corpora: 'allDrives' } : {};
    return driveCall(this.ctx, () =>
      this.drive.files.list({
        q,
        pageSize: this.ctx.config.pageSize,
        pageToken,
        fields: `nextPageToken,files(${FILE_FIELDS})`,
        ...this.driveScope,
        ...corpora,
      }),
    );
  }

  /** A folder as Drive has it now, or null when Baton cannot see it. */
  async lookupFolder(id: string): Promise<drive_v3.Schema$File | null> {
    try {
      return await driveCall(this.ctx, () =>
        this.drive.files.get({
          fileId: id,
          fields: 'id,name,mimeType,parents,trashed',
          supportsAllDrives: true,
        }),
      );
    } catch (error) {
      // A parent Baton cannot see is outside the scope by definition.
      if (error instanceof ConnectorHttpError && (error.code === 'not_found' || error.code === 'forbidden')) {
        return null;
      }
      throw error;
    }
  }
}

function approvalUsers(approvals: drive_v3.Schema$Approval[]): (drive_v3.Schema$User | undefined)[] {
  return approvals.flatMap((a) => [a.initiator, ...(a.reviewerResponses ?? []).map((r) => r.reviewer)]);
}

/** Whether some comment or reply author has no email Baton can tell from the file itself. */
function unnamedAuthors(comments: drive_v3.Schema$Comment[], people: People): boolean {
  const authors = comments.flatMap((c) => [c.author, ...(c.replies ?? []).map((r) => r.author)]);
  return authors.some((a) => a && !people.of(a)?.email);
}

export function isFolder(file: drive_v3.Schema$File): boolean {
  return file.mimeType === FOLDER_MIME;
}

/** Drive query strings quote with ' and escape with \. */
export function escapeQuery(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
