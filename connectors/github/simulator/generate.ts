import type { GitHubSeed, SeedIssue, SeedPull, SeedTimelineEvent } from './model.js';
import { stamp } from './store.js';

export interface GenerateOptions {
  repo?: string;
  items: number;
  /** Time of the first item; everything else follows deterministically. */
  start?: string;
  people?: string[];
}

const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'];

/**
 * A deterministic repository of `items` issues and pull requests for benchmarks and the contract
 * suite: every fourth item is a PR on a `feature/CHK-n-…` branch with a review requested (every
 * eighth approved, every sixteenth merged); issues get assignees, comments and closes in turn.
 * Items are updated in groups of three sharing one `updated_at` second, the tie a `since`
 * cursor must survive.
 */
export function generateSeed(options: GenerateOptions): GitHubSeed {
  const repo = options.repo ?? 'acme/checkout';
  const people = options.people ?? PEOPLE;
  const start = Date.parse(options.start ?? '2024-03-01T09:00:00Z');
  const issues: SeedIssue[] = [];
  const pulls: SeedPull[] = [];
  const timelines: Record<string, SeedTimelineEvent[]> = {};
  const at = (ms: number) => stamp(new Date(ms));

  for (let n = 1; n <= options.items; n++) {
    const created = start + n * 10_000;
    const updated = Math.max(created + 60_000, start + 86_400_000 + Math.floor((n - 1) / 3) * 60_000);
    const author = people[n % people.length];
    const other = people[(n + 1) % people.length];
    const base: SeedIssue = {
      number: n,
      title: n % 2 === 0 ? `CHK-${n}: checkout step ${n}` : `Checkout step ${n}`,
      body: `Generated item ${n}.`,
      user: { login: author },
      labels: [n % 2 === 0 ? 'backend' : 'frontend'],
      created_at: at(created),
      updated_at: at(updated),
    };
    const events: SeedTimelineEvent[] = [];
    if (n % 4 === 0) {
      const merged = n % 16 === 0;
      events.push({
        event: 'review_requested',
        actor: { login: author },
        requested_reviewer: { login: other },
        created_at: at(created + 30_000),
      });
      if (n % 8 === 0) {
        events.push({
          event: 'reviewed',
          user: { login: other },
          state: 'approved',
          submitted_at: at(updated),
        });
      }
      if (merged) {
        events.push({ event: 'merged', actor: { login: author }, created_at: at(updated) });
        events.push({ event: 'closed', actor: { login: author }, created_at: at(updated) });
      }
      pulls.push({
        ...base,
        head: { ref: `feature/CHK-${n}-step-${n}` },
        base: { ref: 'main' },
        requested_reviewers: n % 8 === 0 ? [] : [{ login: other }],
        ...(merged
          ? { state: 'closed', closed_at: at(updated), merged_at: at(updated), merged_by: { login: author } }
          : {}),
      });
    } else {
      const assigned = n % 3 === 0;
      const closed = n % 5 === 0;
      if (assigned)
        events.push({
          event: 'assigned',
          actor: { login: author },
          assignee: { login: other },
          created_at: at(created + 30_000),
        });
      if (n % 7 === 0)
        events.push({
          event: 'commented',
          user: { login: other },
          body: 'Looking into it.',
          created_at: at(updated),
        });
      if (closed)
        events.push({
          event: 'closed',
          actor: { login: author },
          state_reason: 'completed',
          created_at: at(updated),
        });
      issues.push({
        ...base,
        assignees: assigned ? [{ login: other }] : [],
        ...(closed ? { state: 'closed', state_reason: 'completed', closed_at: at(updated) } : {}),
      });
    }
    if (events.length > 0) timelines[String(n)] = events;
  }
  return { repos: [{ full_name: repo, issues, pulls, timelines }] };
}
