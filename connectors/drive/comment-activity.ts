import type { drive_v3 } from '@googleapis/drive';
import type { Activity } from '../../src/domain/source-record.js';
import { BATON_ALERT_MARKER } from './alert-marker.js';
import type { People } from './identity.js';

const EXCERPT = 140;

/**
 * A comment thread as activity. Every activity carries detail.commentId so a handoff can be
 * tied to its thread:
 * - the comment itself → `commented`; each person it mentions → `mentioned` (the assignee
 *   excepted: the assignment already hands the comment over);
 * - an assignee → `comment_assigned` (actor = who assigned, target = assignee), at the comment's
 *   creation, or at the reply that (re)assigned it, or at the reply that reopened it;
 * - a reply with text → `replied` (plus `mentioned` for its mentions);
 * - a reply with action `resolve`, or the comment's deletion → `comment_resolved`.
 */
export function commentActivity(comments: drive_v3.Schema$Comment[], people: People): Activity[] {
  return comments.flatMap((comment) => threadActivity(comment, people));
}

function threadActivity(comment: drive_v3.Schema$Comment, people: People): Activity[] {
  const commentId = comment.id;
  const createdAt = comment.createdTime;
  if (!commentId || !createdAt) return [];
  // Baton's own alerts mention the person they chase: that is not a new request of anyone.
  if (comment.content?.includes(BATON_ALERT_MARKER)) return [];
  const out: Activity[] = [];
  const author = people.of(comment.author);
  const assignee = comment.assigneeEmailAddress?.toLowerCase();
  const base = { commentId };

  if (comment.deleted) {
    out.push({
      id: `comment:${commentId}:deleted`,
      kind: 'comment_resolved',
      at: comment.modifiedTime ?? createdAt,
      detail: { ...base, deleted: true },
    });
    return out;
  }

  out.push({
    id: `comment:${commentId}`,
    kind: 'commented',
    actor: author,
    at: createdAt,
    detail: { ...base, excerpt: excerpt(comment.content) },
  });
  out.push(
    ...mentions(
      `comment:${commentId}`,
      comment.mentionedEmailAddresses,
      assignee,
      author,
      createdAt,
      base,
      people,
    ),
  );

  const replies = (comment.replies ?? []).filter((r) => r.id && r.createdTime && !r.deleted);
  // Drive keeps only the current assignee on the comment; replies say when it was (re)assigned.
  const assignedByReply = replies.some((r) => r.assigneeEmailAddress);
  if (assignee && !assignedByReply) {
    out.push(assigned(`comment:${commentId}:assigned`, author, assignee, createdAt, base, people));
  }

  for (const reply of replies) {
    const id = `reply:${reply.id}`;
    const at = reply.createdTime!;
    const actor = people.of(reply.author);
    if (reply.action === 'resolve') {
      out.push({
        id: `${id}:resolved`,
        kind: 'comment_resolved',
        actor,
        target: assignee ? people.byAddress(assignee) : undefined,
        at,
        detail: base,
      });
    }
    if (reply.action === 'reopen' && assignee) {
      out.push(assigned(`${id}:reopened`, actor, assignee, at, { ...base, reopened: true }, people));
    }
    if (reply.assigneeEmailAddress) {
      out.push(assigned(`${id}:assigned`, actor, reply.assigneeEmailAddress.toLowerCase(), at, base, people));
    }
    if (reply.content) {
      out.push({ id, kind: 'replied', actor, at, detail: { ...base, excerpt: excerpt(reply.content) } });
      const replyAssignee = reply.assigneeEmailAddress?.toLowerCase();
      out.push(...mentions(id, reply.mentionedEmailAddresses, replyAssignee, actor, at, base, people));
    }
  }
  return out;
}

function assigned(
  id: string,
  actor: Activity['actor'],
  email: string,
  at: string,
  detail: Record<string, unknown>,
  people: People,
): Activity {
  return { id, kind: 'comment_assigned', actor, target: people.byAddress(email), at, detail };
}

function mentions(
  prefix: string,
  emails: string[] | null | undefined,
  except: string | undefined,
  actor: Activity['actor'],
  at: string,
  detail: Record<string, unknown>,
  people: People,
): Activity[] {
  const unique = [...new Set((emails ?? []).map((e) => e.toLowerCase()))].filter((e) => e !== except);
  return unique.map((email) => ({
    id: `${prefix}:mention:${email}`,
    kind: 'mentioned' as const,
    actor,
    target: people.byAddress(email),
    at,
    detail,
  }));
}

function excerpt(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
}
