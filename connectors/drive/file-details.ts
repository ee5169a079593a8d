import type { drive_v3 } from '@googleapis/drive';
import type { ConnectorContext } from '../../src/connectors/kit/index.js';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import type { DriveConfig } from './config.js';
import { driveCall } from './drive-call.js';

/** comments.list requires `fields`; these are all the thread needs (no quoted document text). */
const USER = 'displayName,emailAddress,me';
export const COMMENT_FIELDS =
  `nextPageToken,comments(id,createdTime,modifiedTime,resolved,deleted,content,assigneeEmailAddress,` +
  `mentionedEmailAddresses,author(${USER}),replies(id,createdTime,modifiedTime,action,deleted,content,` +
  `assigneeEmailAddress,mentionedEmailAddresses,author(${USER})))`;

/** approvals.list answers a minimal body without `items` unless fields are named. */
export const APPROVAL_FIELDS =
  `nextPageToken,items(kind,approvalId,targetFileId,status,createTime,modifyTime,completeTime,dueTime,` +
  `initiator(${USER}),reviewerResponses(kind,response,reviewer(${USER})))`;

/** Whether approvals can be read on this account; shared by every file of one pull. */
export interface ApprovalsAvailability {
  unavailable: boolean;
  reason?: string;
  /** The first 403/404 of this pull, so it is logged once. */
  justFound?: boolean;
}

export async function listComments(
  ctx: ConnectorContext<DriveConfig>,
  drive: drive_v3.Drive,
  fileId: string,
): Promise<drive_v3.Schema$Comment[]> {
  const out: drive_v3.Schema$Comment[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page = await driveCall(ctx, () =>
        drive.comments.list({
          fileId,
          fields: COMMENT_FIELDS,
          includeDeleted: true,
          pageSize: 100,
          pageToken,
        }),
      );
      out.push(...(page.comments ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    // Deleted between the change and this read: the changes feed reports the removal next.
    if (error instanceof ConnectorHttpError && /File not found/i.test(error.message)) return [];
    throw error;
  }
  return out;
}

/**
 * A file's approvals, or [] when the account cannot use them. approvals.list answering 403
 * (Workspace edition or admin setting without approvals) or 404 marks approvals unavailable
 * for the rest of the pull; the caller records it in the cursor and the connection's health.
 */
export async function listApprovals(
  ctx: ConnectorContext<DriveConfig>,
  drive: drive_v3.Drive,
  fileId: string,
  availability: ApprovalsAvailability,
): Promise<drive_v3.Schema$Approval[]> {
  if (!ctx.config.approvals || availability.unavailable) return [];
  const out: drive_v3.Schema$Approval[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page = await driveCall(ctx, () =>
        drive.approvals.list({ fileId, fields: APPROVAL_FIELDS, pageSize: 100, pageToken }),
      );
      out.push(...(page.items ?? []));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    // The file itself went away meanwhile: its removal comes through the changes feed.
    if (error instanceof ConnectorHttpError && /File not found/i.test(error.message)) return [];
    if (error instanceof ConnectorHttpError && (error.code === 'forbidden' || error.code === 'not_found')) {
      if (!availability.unavailable) {
        availability.unavailable = true;
        availability.justFound = true;
        availability.reason = error.message;
      }
      return [];
    }
    throw error;
  }
  return out;
}

/**
 * The people who can open a file, with their emails: the only place Drive pairs a comment
 * author's display name with an address. Read only when a comment author is otherwise unknown.
 */
export async function listPeopleWithAccess(
  ctx: ConnectorContext<DriveConfig>,
  drive: drive_v3.Drive,
  fileId: string,
): Promise<drive_v3.Schema$User[]> {
  const out: drive_v3.Schema$User[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const page = await driveCall(ctx, () =>
        drive.permissions.list({
          fileId,
          fields: 'nextPageToken,permissions(type,emailAddress,displayName)',
          pageSize: 100,
          pageToken,
          supportsAllDrives: true,
        }),
      );
      for (const p of page.permissions ?? []) {
        if (p.type === 'user' && p.emailAddress)
          out.push({ displayName: p.displayName, emailAddress: p.emailAddress });
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (error) {
    // Only writers may list permissions on some files: then authors stay known by name.
    if (error instanceof ConnectorHttpError && (error.code === 'forbidden' || error.code === 'not_found'))
      return out;
    throw error;
  }
  return out;
}
