import type { drive_v3 } from '@googleapis/drive';
import { DriveFiles } from './sim-files.js';
import { commentAuthor, driveUser, type Person } from './sim-wire.js';

export interface DriveSeed {
  /** Files and folders in Drive's wire format (drive_v3.Schema$File). */
  files?: drive_v3.Schema$File[];
  /** Comments per file id (drive_v3.Schema$Comment, replies inside). */
  comments?: Record<string, drive_v3.Schema$Comment[]>;
  /** Approvals per file id (drive_v3.Schema$Approval). */
  approvals?: Record<string, drive_v3.Schema$Approval[]>;
}

type Who = Person;

/** The simulator's Drive: files and the feed, plus comment threads and approvals on files. */
export class DriveData extends DriveFiles {
  readonly comments = new Map<string, drive_v3.Schema$Comment[]>();
  readonly approvals = new Map<string, drive_v3.Schema$Approval[]>();

  constructor(seed: DriveSeed, clock: () => number, announce: () => void, me: Who) {
    super(seed, clock, announce, me);
    for (const [id, list] of Object.entries(seed.comments ?? {}))
      this.comments.set(id, structuredClone(list));
    for (const [id, list] of Object.entries(seed.approvals ?? {}))
      this.approvals.set(id, structuredClone(list));
  }

  protected override forget(fileId: string): void {
    this.comments.delete(fileId);
    this.approvals.delete(fileId);
  }

  addComment(
    fileId: string,
    input: { author: Who | { name: string }; content: string; assignee?: string; mentions?: string[] },
  ) {
    this.mustFile(fileId);
    if ('email' in input.author) this.share(fileId, input.author, 'commenter');
    const at = this.stamp();
    const mentioned = [...new Set([...(input.mentions ?? []), ...(input.assignee ? [input.assignee] : [])])];
    const comment: drive_v3.Schema$Comment = {
      kind: 'drive#comment',
      id: this.newId('AAAA'),
      createdTime: at,
      modifiedTime: at,
      author: commentAuthor(input.author, input.author.name === this.me.name),
      htmlContent: input.content,
      content: input.content,
      deleted: false,
      resolved: false,
      mentionedEmailAddresses: mentioned,
      ...(input.assignee ? { assigneeEmailAddress: input.assignee } : {}),
      replies: [],
    };
    this.comments.set(fileId, [...(this.comments.get(fileId) ?? []), comment]);
    this.touch(fileId, false, at);
    return comment;
  }

  reply(
    fileId: string,
    commentId: string,
    input: {
      author: Who | { name: string };
      content?: string;
      action?: 'resolve' | 'reopen';
      assignee?: string;
    },
  ) {
    if ('email' in input.author) this.share(fileId, input.author, 'commenter');
    const comment = (this.comments.get(fileId) ?? []).find((c) => c.id === commentId);
    if (!comment) throw new Error(`no comment ${commentId} on ${fileId}`);
    const at = this.stamp();
    const reply: drive_v3.Schema$Reply = {
      kind: 'drive#reply',
      id: this.newId('AAAB'),
      createdTime: at,
      modifiedTime: at,
      author: commentAuthor(input.author),
      deleted: false,
      ...(input.content ? { content: input.content, htmlContent: input.content } : {}),
      ...(input.action ? { action: input.action } : {}),
      ...(input.assignee
        ? { assigneeEmailAddress: input.assignee, mentionedEmailAddresses: [input.assignee] }
        : {}),
    };
    comment.replies = [...(comment.replies ?? []), reply];
    comment.modifiedTime = at;
    if (input.action === 'resolve') comment.resolved = true;
    if (input.action === 'reopen') comment.resolved = false;
    if (input.assignee) comment.assigneeEmailAddress = input.assignee;
    this.touch(fileId, false, at);
    return reply;
  }

  resolveComment(fileId: string, commentId: string, by: Who | { name: string }) {
    return this.reply(fileId, commentId, { author: by, action: 'resolve' });
  }

  startApproval(fileId: string, input: { initiator: Who; reviewers: Who[]; dueTime?: string }) {
    this.mustFile(fileId);
    // Drive does not share the file with reviewers; the initiator must have done it.
    for (const person of [input.initiator, ...input.reviewers]) this.share(fileId, person);
    const at = this.stamp();
    const approval: drive_v3.Schema$Approval = {
      kind: 'drive#approval',
      approvalId: this.newId('appr'),
      targetFileId: fileId,
      createTime: at,
      modifyTime: at,
      status: 'IN_PROGRESS',
      initiator: driveUser(input.initiator),
      reviewerResponses: input.reviewers.map((r) => ({
        kind: 'drive#reviewerResponse',
        reviewer: driveUser(r),
        response: 'NO_RESPONSE',
      })),
      ...(input.dueTime ? { dueTime: input.dueTime } : {}),
    };
    this.approvals.set(fileId, [...(this.approvals.get(fileId) ?? []), approval]);
    this.touch(fileId, false, at);
    return approval;
  }

  /** A reviewer answers; a decline ends the approval, the last approval completes it. */
  respondToApproval(fileId: string, approvalId: string, reviewer: string, response: 'APPROVED' | 'DECLINED') {
    const approval = (this.approvals.get(fileId) ?? []).find((a) => a.approvalId === approvalId);
    const entry = approval?.reviewerResponses?.find((r) => r.reviewer?.emailAddress === reviewer);
    if (!approval || !entry) throw new Error(`no reviewer ${reviewer} on approval ${approvalId}`);
    const at = this.stamp();
    entry.response = response;
    approval.modifyTime = at;
    const all = approval.reviewerResponses ?? [];
    if (response === 'DECLINED') approval.status = 'DECLINED';
    else if (all.every((r) => r.response === 'APPROVED')) approval.status = 'APPROVED';
    if (approval.status !== 'IN_PROGRESS') approval.completeTime = at;
    this.touch(fileId, false, at);
    return approval;
  }

  cancelApproval(fileId: string, approvalId: string) {
    const approval = (this.approvals.get(fileId) ?? []).find((a) => a.approvalId === approvalId);
    if (!approval) throw new Error(`no approval ${approvalId}`);
    const at = this.stamp();
    approval.status = 'CANCELLED';
    approval.modifyTime = at;
    approval.completeTime = at;
    this.touch(fileId, false, at);
    return approval;
  }

  /** comments.create through the API (Baton's alerts): authored by the authenticated user. */
  postComment(fileId: string, content: string): drive_v3.Schema$Comment {
    const mentions = [...content.matchAll(/\+([^\s@+]+@[^\s@]+\.[^\s@]+)/g)].map((m) => m[1]);
    return this.addComment(fileId, { author: this.me, content, mentions });
  }
}
