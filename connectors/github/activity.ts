import type { Activity, ActivityKind, Identity } from '../../src/domain/source-record.js';
import type { GitHubTeam, GitHubUser, TimelineEntry } from './github-types.js';

/** Hidden in every alert Baton posts, so its own comments never count as someone acting. */
export const BATON_ALERT_MARKER = '<!-- baton:alert -->';

export function identity(user: GitHubUser | null | undefined): Identity | undefined {
  if (!user?.login) return undefined;
  return {
    tool: 'github',
    id: user.login,
    ...(user.name ? { name: user.name } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}

/** A review asked of a team (CODEOWNERS): the team is the receiver until someone in it reviews. */
export function teamIdentity(team: GitHubTeam): Identity {
  return { tool: 'github', id: `team:${team.slug}`, ...(team.name ? { name: team.name } : {}) };
}

/** `/baton snooze 1d` → `snooze 1d`: the handoff layer acts on these later. */
export function batonCommand(body: string | null | undefined): string | undefined {
  const match = /^\/baton +([^\r\n]+)/.exec(body?.trimStart() ?? '');
  return match ? match[1].trim() : undefined;
}

/** A comment counts as a person acting; bots and Baton's own alerts do not. */
export function commentActivity(
  id: string,
  user: GitHubUser | null | undefined,
  at: string | undefined,
  body: string | null | undefined,
): Activity | undefined {
  if (!user || !at || user.type === 'Bot' || body?.includes(BATON_ALERT_MARKER)) return undefined;
  const command = batonCommand(body);
  return { id, kind: 'commented', actor: identity(user), at, ...(command ? { detail: { command } } : {}) };
}

/** GitHub's review states are upper-case in some APIs and lower-case in others. */
export function reviewState(state: string | undefined): string | undefined {
  const lower = state?.toLowerCase();
  return lower && lower !== 'pending' ? lower : undefined;
}

/**
 * Activity for a webhook fact GitHub gives no id for (an assignment, a review request): derived
 * from what it is, so a redelivered webhook yields the same id.
 */
export function derivedId(
  kind: ActivityKind,
  actor: Identity | undefined,
  target: Identity | undefined,
  at: string,
): string {
  return `${kind}:${actor?.id ?? '-'}:${target?.id ?? '-'}:${at}`;
}

/** The timeline carries events, comments and reviews with their ids: the activity handoffs need. */
export function timelineActivity(entries: TimelineEntry[]): Activity[] {
  return entries.flatMap((entry) => fromTimelineEntry(entry));
}

function fromTimelineEntry(entry: TimelineEntry): Activity[] {
  const eventId = `event:${entry.id}`;
  const at = entry.created_at;
  switch (entry.event) {
    case 'assigned':
    case 'unassigned':
      if (!at) return [];
      return [
        {
          id: eventId,
          kind: entry.event,
          actor: identity(entry.actor),
          target: identity(entry.assignee),
          at,
        },
      ];
    case 'review_requested':
    case 'review_request_removed': {
      const target = entry.requested_reviewer
        ? identity(entry.requested_reviewer)
        : entry.requested_team
          ? teamIdentity(entry.requested_team)
          : undefined;
      if (!at) return [];
      return [
        {
          id: eventId,
          kind: entry.event,
          actor: identity(entry.review_requester ?? entry.actor),
          target,
          at,
        },
      ];
    }
    case 'reviewed': {
      const state = reviewState(entry.state);
      const reviewedAt = entry.submitted_at ?? undefined;
      if (!state || !reviewedAt) return [];
      return [
        {
          id: `review:${entry.id}`,
          kind: 'reviewed',
          actor: identity(entry.user),
          at: reviewedAt,
          detail: { state },
        },
      ];
    }
    case 'commented': {
      const comment = commentActivity(`comment:${entry.id}`, entry.user ?? entry.actor, at, entry.body);
      return comment ? [comment] : [];
    }
    case 'line-commented':
      return (entry.comments ?? []).flatMap((c) => {
        const comment = commentActivity(`review-comment:${c.id}`, c.user, c.created_at, c.body);
        return comment ? [comment] : [];
      });
    case 'merged':
    case 'reopened':
      return at ? [{ id: eventId, kind: entry.event, actor: identity(entry.actor), at }] : [];
    case 'closed':
      if (!at) return [];
      return [
        {
          id: eventId,
          kind: 'closed',
          actor: identity(entry.actor),
          at,
          ...(entry.state_reason ? { detail: { stateReason: entry.state_reason } } : {}),
        },
      ];
    default:
      return [];
  }
}
