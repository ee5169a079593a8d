import type { drive_v3 } from '@googleapis/drive';
import type { Activity, SourceRecord } from '../../src/domain/source-record.js';
import { approvalActivity, currentApproval, pendingReviewers } from './approval-activity.js';
import { commentActivity } from './comment-activity.js';
import type { Placement } from './folder-tree.js';
import { People } from './identity.js';

export const DRIVE = 'drive';
const JIRA_KEY = /\b[A-Z][A-Z0-9]+-\d+\b/g;

/** One in-scope Drive file with what Baton read about it. */
export interface DriveItem {
  file: drive_v3.Schema$File;
  placement: Placement;
  comments: drive_v3.Schema$Comment[];
  approvals: drive_v3.Schema$Approval[];
  /** Time of the change that reported the file (changes.list); moves and trashing set it. */
  changeTime?: string;
  /** Email of the authenticated user (the delegated subject), for users Drive flags `me`. */
  me?: string;
  /** People with access to the file (permissions.list), to give comment authors their email. */
  people?: drive_v3.Schema$User[];
}

/** A Drive file → SourceRecord (pure; the DevLake "convertor" stage). */
export function normalizeFile(item: DriveItem): SourceRecord {
  const { file, placement, comments, approvals } = item;
  const users = [
    ...(file.owners ?? []),
    file.lastModifyingUser,
    ...approvals.flatMap((a) => [a.initiator, ...(a.reviewerResponses ?? []).map((r) => r.reviewer)]),
    ...(item.people ?? []),
  ];
  const people = new People(users, item.me);
  const trashed = file.trashed === true;
  const approval = currentApproval(approvals);
  const modifier = file.lastModifyingUser;
  const createdAt = file.createdTime ?? file.modifiedTime ?? item.changeTime;
  if (!file.id || !createdAt) throw new Error('a Drive file without id or createdTime');

  return {
    source: DRIVE,
    externalId: file.id,
    url: file.webViewLink ?? undefined,
    kind: 'file',
    title: file.name ?? '',
    state: trashed ? { raw: 'trashed', category: 'cancelled' } : { raw: 'active', category: 'in_progress' },
    author: people.of(file.owners?.[0]),
    assignees: [],
    reviewers: pendingReviewers(approvals, people),
    labels: [],
    container: placement.root,
    references: [...new Set(file.name?.match(JIRA_KEY) ?? [])],
    createdAt,
    updatedAt:
      latest([
        file.modifiedTime,
        file.trashedTime,
        item.changeTime,
        ...comments.flatMap((c) => [c.modifiedTime, ...(c.replies ?? []).map((r) => r.modifiedTime)]),
        ...approvals.map((a) => a.modifyTime),
      ]) ?? createdAt,
    dueAt: approval?.status === 'IN_PROGRESS' ? (approval.dueTime ?? undefined) : undefined,
    deleted: trashed,
    fields: compact({
      mimeType: file.mimeType,
      folderId: placement.folderId,
      folderName: placement.folderName,
      folderPath: placement.folderPath,
      parents: file.parents ?? [],
      modifiedBy: modifier?.emailAddress?.toLowerCase() ?? modifier?.displayName,
      version: file.version,
      driveId: file.driveId,
      approvalStatus: approval?.status?.toLowerCase(),
    }),
    activity: inTimeOrder([...commentActivity(comments, people), ...approvalActivity(approvals, people)]),
    raw: { file, comments: comments.map(trimComment), approvals },
  };
}

/** Handoff derivation replays activity in order: threads and approvals interleave by time. */
function inTimeOrder(activity: Activity[]): Activity[] {
  return activity
    .map((a, i) => ({ a, i, t: Date.parse(a.at) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map(({ a }) => a);
}

/** The newest of several RFC 3339 times, as written by Drive. */
export function latest(times: (string | null | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (!t) continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms) && ms > bestMs) {
      best = t;
      bestMs = ms;
    }
  }
  return best;
}

/** Comment text and the quoted document text stay in Drive; the record keeps the thread's shape. */
function trimComment(comment: drive_v3.Schema$Comment): drive_v3.Schema$Comment {
  const { content: _c, htmlContent: _h, quotedFileContent: _q, anchor: _a, ...rest } = comment;
  return {
    ...rest,
    replies: comment.replies?.map(({ content: _rc, htmlContent: _rh, ...reply }) => reply),
  };
}

function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}
