import { requirePull, type Send } from './controls-lifecycle.js';
import type { ReviewState } from './model.js';
import { assigneeExtra, commentEvent, itemEvent, reviewEvent, reviewRequestExtra } from './payloads.js';
import { wireComment } from './wire-activity.js';
import type { WireContext } from './wire-basics.js';

/** Assignments, review requests, reviews and comments: the moves handoffs are made of. */
export function handoffControls(w: WireContext, send: Send) {
  const { store } = w;
  return {
    async assign(repo: string, number: number, input: { assignee: string; by: string }) {
      const item = store.issue(repo, number);
      if (!item.assignees.includes(input.assignee)) item.assignees.push(store.user(input.assignee).login);
      const event = store.record(item, { event: 'assigned', actor: input.by, assignee: input.assignee });
      await send(itemEvent(w, item, 'assigned', input.by, assigneeExtra(w, event)));
      return item;
    },

    async unassign(repo: string, number: number, input: { assignee: string; by: string }) {
      const item = store.issue(repo, number);
      item.assignees = item.assignees.filter((login) => login !== input.assignee);
      const event = store.record(item, { event: 'unassigned', actor: input.by, assignee: input.assignee });
      await send(itemEvent(w, item, 'unassigned', input.by, assigneeExtra(w, event)));
      return item;
    },

    async requestReview(
      repo: string,
      number: number,
      input: { reviewer?: string; team?: string; by: string },
    ) {
      const item = store.issue(repo, number);
      const pull = requirePull(item);
      if (input.team) pull.requested_teams.push(input.team);
      else if (input.reviewer) pull.requested_reviewers.push(store.user(input.reviewer).login);
      const event = store.record(item, {
        event: 'review_requested',
        actor: input.by,
        requested_reviewer: input.reviewer,
        requested_team: input.team,
      });
      await send(itemEvent(w, item, 'review_requested', input.by, reviewRequestExtra(w, item, event)));
      return item;
    },

    /** GitHub drops the reviewer from the requested list once they review. */
    async submitReview(
      repo: string,
      number: number,
      input: { reviewer: string; state: Exclude<ReviewState, 'dismissed'>; body?: string },
    ) {
      const item = store.issue(repo, number);
      const pull = requirePull(item);
      pull.requested_reviewers = pull.requested_reviewers.filter((login) => login !== input.reviewer);
      const event = store.record(item, {
        event: 'reviewed',
        actor: input.reviewer,
        state: input.state,
        body: input.body ?? null,
      });
      await send(reviewEvent(w, item, 'submitted', event));
      return event;
    },

    async comment(repo: string, number: number, input: { user: string; body: string }) {
      const item = store.issue(repo, number);
      const event = store.record(item, { event: 'commented', actor: input.user, body: input.body });
      await send(commentEvent(w, item, 'created', event));
      return wireComment(w, item, event);
    },
  };
}
