import type { DeliveryRecord } from './deliveries.js';
import type { SimIssue, StateReason } from './model.js';
import { itemEvent } from './payloads.js';
import type { WireContext } from './wire-basics.js';
import { wireIssue } from './wire-items.js';
import { wireRepository } from './wire-repository.js';

export type Send = (d: {
  event: string;
  payload: Record<string, unknown>;
}) => Promise<DeliveryRecord | undefined>;

/** Opening, editing, merging, closing, deleting and transferring issues and pull requests. */
export function lifecycleControls(w: WireContext, send: Send) {
  const { store } = w;

  function open(repoName: string, input: { title: string; body?: string; user: string; labels?: string[] }) {
    const repo = store.repo(repoName);
    const at = store.stamp();
    const item: SimIssue = {
      repo: repo.full_name,
      number: store.nextNumber(repo),
      id: store.nextId('issue'),
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      state_reason: null,
      user: store.user(input.user).login,
      assignees: [],
      labels: input.labels ?? [],
      milestone: null,
      created_at: at,
      updated_at: at,
      closed_at: null,
      timeline: [],
    };
    repo.issues.set(item.number, item);
    return item;
  }

  return {
    async createIssue(
      repo: string,
      input: { title: string; body?: string; user: string; labels?: string[] },
    ) {
      const item = open(repo, input);
      await send(itemEvent(w, item, 'opened', input.user));
      return item;
    },

    async openPullRequest(
      repo: string,
      input: { title: string; body?: string; user: string; head: string; base?: string; draft?: boolean },
    ) {
      const item = open(repo, input);
      item.pull = {
        head: input.head,
        base: input.base ?? 'main',
        draft: input.draft ?? false,
        merged_at: null,
        merged_by: null,
        requested_reviewers: [],
        requested_teams: [],
      };
      await send(itemEvent(w, item, 'opened', input.user));
      return item;
    },

    async editIssue(repo: string, number: number, input: { title?: string; body?: string; by: string }) {
      const item = store.issue(repo, number);
      const changes: Record<string, { from: string | null }> = {};
      if (input.title !== undefined) changes.title = { from: item.title };
      if (input.body !== undefined) changes.body = { from: item.body };
      item.title = input.title ?? item.title;
      item.body = input.body ?? item.body;
      item.updated_at = store.stamp();
      await send(itemEvent(w, item, 'edited', input.by, { changes }));
      return item;
    },

    async merge(repo: string, number: number, input: { by: string }) {
      const item = store.issue(repo, number);
      const pull = requirePull(item);
      const at = store.stamp();
      Object.assign(item, { state: 'closed', closed_at: at });
      Object.assign(pull, { merged_at: at, merged_by: store.user(input.by).login, requested_reviewers: [] });
      store.record(item, { event: 'merged', actor: input.by, created_at: at });
      store.record(item, { event: 'closed', actor: input.by, created_at: at });
      await send(itemEvent(w, item, 'closed', input.by));
      return item;
    },

    async close(repo: string, number: number, input: { by: string; reason?: StateReason }) {
      const item = store.issue(repo, number);
      const at = store.stamp();
      const reason = item.pull ? null : (input.reason ?? 'completed');
      Object.assign(item, { state: 'closed', closed_at: at, state_reason: reason });
      store.record(item, { event: 'closed', actor: input.by, created_at: at, state_reason: reason });
      await send(itemEvent(w, item, 'closed', input.by));
      return item;
    },

    async reopen(repo: string, number: number, input: { by: string }) {
      const item = store.issue(repo, number);
      Object.assign(item, { state: 'open', closed_at: null, state_reason: item.pull ? null : 'reopened' });
      store.record(item, { event: 'reopened', actor: input.by });
      await send(itemEvent(w, item, 'reopened', input.by));
      return item;
    },

    /** Only issues can be deleted on GitHub; later reads answer 410 Gone. */
    async deleteIssue(repo: string, number: number, input: { by: string }) {
      const item = store.issue(repo, number);
      if (item.pull) throw new Error('simulator: pull requests cannot be deleted on GitHub');
      const payload = itemEvent(w, item, 'deleted', input.by);
      const owner = store.repo(repo);
      owner.issues.delete(number);
      owner.deleted.add(number);
      await send(payload);
    },

    /** Moves an issue; the old number redirects (301) to its new home. */
    async transferIssue(repo: string, number: number, input: { to: string; by: string }) {
      const item = store.issue(repo, number);
      if (item.pull) throw new Error('simulator: pull requests cannot be transferred on GitHub');
      const from = store.repo(repo);
      const to = store.repo(input.to);
      const moved: SimIssue = {
        ...item,
        repo: to.full_name,
        number: store.nextNumber(to),
        id: store.nextId('issue'),
        updated_at: store.stamp(),
        timeline: [],
      };
      const before = itemEvent(w, item, 'transferred', input.by);
      from.issues.delete(number);
      from.transferred.set(number, { repo: to.full_name, number: moved.number });
      to.issues.set(moved.number, moved);
      const changes = { new_issue: wireIssue(w, moved), new_repository: wireRepository(w, to) };
      await send({ event: 'issues', payload: { ...before.payload, changes } });
      return moved;
    },
  };
}

export function requirePull(item: SimIssue) {
  if (!item.pull) throw new Error(`simulator: ${item.repo}#${item.number} is not a pull request`);
  return item.pull;
}
