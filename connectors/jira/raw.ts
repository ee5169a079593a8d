import type { JiraComment, JiraIssue } from './wire.js';

/** Links and pictures Jira repeats in every user, status and type object; none of it is evidence. */
const NOISE = new Set(['avatarUrls', 'iconUrl', 'self', 'expand']);

/**
 * The payload kept with a record for audit and replay: the issue's fields and changelog as Jira
 * sent them, without avatars, icons and self links, and without text bodies (the description is
 * not fetched; comment text is in the activity as an excerpt). Nested values below a few levels
 * are kept by reference: copying them would cost more than it saves.
 */
export function trimRaw(issue: JiraIssue): unknown {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(issue.fields ?? {})) {
    if (name === 'description' || value === undefined) continue;
    fields[name] =
      name === 'comment' ? commentsWithoutBodies(value as { comments?: JiraComment[] }) : strip(value, 3);
  }
  const raw: Record<string, unknown> = { id: issue.id, key: issue.key, fields };
  const histories = issue.changelog?.histories;
  if (histories) {
    raw.changelog = {
      histories: histories.map((h) => ({
        id: h.id,
        author: strip(h.author, 1),
        created: h.created,
        items: h.items,
      })),
    };
  }
  return raw;
}

function commentsWithoutBodies(value: { comments?: JiraComment[] } | null): unknown {
  const comments = Array.isArray(value?.comments) ? value.comments : [];
  return {
    comments: comments.map((c) => ({
      id: c.id,
      author: strip(c.author, 1),
      created: c.created,
      updated: c.updated,
    })),
  };
}

function strip(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return depth > 0 ? value.map((v) => strip(v, depth - 1)) : value;
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const name in value) {
    const inner = (value as Record<string, unknown>)[name];
    if (NOISE.has(name) || inner === undefined) continue;
    out[name] = depth > 0 ? strip(inner, depth - 1) : inner;
  }
  return out;
}
