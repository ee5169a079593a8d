import type {
  GitHubSeed,
  ReviewState,
  SeedIssue,
  SeedPull,
  SeedRepo,
  SeedTimelineEvent,
  SimEvent,
  SimIssue,
  SimRepo,
  StateReason,
} from './model.js';

export interface SimUser {
  login: string;
  id: number;
  name?: string;
  email?: string;
  type: 'User' | 'Bot';
}

/** GitHub's timestamps: UTC, second precision. */
export function stamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The simulator's repositories, issues and pull requests. Mutations change state and bump
 * `updated_at` the way GitHub does; the controls layer turns each into a webhook delivery.
 */
export class SimStore {
  readonly repos = new Map<string, SimRepo>();
  readonly users = new Map<string, SimUser>();
  private readonly counters = { repo: 400_000, user: 10_000, issue: 1_000_000, event: 5_000_000 };

  constructor(readonly now: () => Date) {}

  stamp(): string {
    return stamp(this.now());
  }

  nextId(kind: keyof SimStore['counters']): number {
    this.counters[kind] += 1;
    return this.counters[kind];
  }

  user(login: string): SimUser {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId('user'), type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(login, user);
    }
    return user;
  }

  repo(fullName: string): SimRepo {
    const key = fullName.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      repo = {
        id: this.nextId('repo'),
        full_name: fullName,
        issues: new Map(),
        deleted: new Set(),
        transferred: new Map(),
      };
      this.repos.set(key, repo);
    }
    return repo;
  }

  findRepo(fullName: string): SimRepo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  findRepoById(id: number): SimRepo | undefined {
    for (const repo of this.repos.values()) if (repo.id === id) return repo;
    return undefined;
  }

  issue(repoName: string, number: number): SimIssue {
    const found = this.findRepo(repoName)?.issues.get(number);
    if (!found) throw new Error(`simulator: ${repoName}#${number} does not exist`);
    return found;
  }

  nextNumber(repo: SimRepo): number {
    let max = 0;
    for (const n of repo.issues.keys()) max = Math.max(max, n);
    for (const n of repo.deleted) max = Math.max(max, n);
    for (const n of repo.transferred.keys()) max = Math.max(max, n);
    return max + 1;
  }

  /** Records an event on the item's timeline and bumps `updated_at`, as GitHub does. */
  record(issue: SimIssue, event: Omit<SimEvent, 'id' | 'created_at'> & { created_at?: string }): SimEvent {
    const at = event.created_at ?? this.stamp();
    const entry: SimEvent = { ...event, id: this.nextId('event'), created_at: at };
    issue.timeline.push(entry);
    issue.updated_at = at;
    this.user(event.actor);
    return entry;
  }

  seed(seed: GitHubSeed): void {
    for (const user of seed.users ?? []) {
      Object.assign(this.user(user.login), { name: user.name, email: user.email, type: user.type ?? 'User' });
    }
    for (const repo of seed.repos) this.seedRepo(repo);
  }

  private seedRepo(seed: SeedRepo): void {
    const repo = this.repo(seed.full_name);
    for (const issue of [...(seed.issues ?? []), ...(seed.pulls ?? [])]) {
      const item = this.fromSeed(repo.full_name, issue);
      item.timeline = (seed.timelines?.[String(issue.number)] ?? []).map((e) => this.eventFromSeed(e, item));
      repo.issues.set(item.number, item);
    }
  }

  private fromSeed(repo: string, seed: SeedIssue | SeedPull): SimIssue {
    const logins = (list?: { login: string }[]) => (list ?? []).map((u) => this.user(u.login).login);
    const item: SimIssue = {
      repo,
      number: seed.number,
      id: this.nextId('issue'),
      title: seed.title,
      body: seed.body ?? null,
      state: seed.state ?? 'open',
      state_reason: seed.state_reason ?? (seed.state === 'closed' ? 'completed' : null),
      user: this.user(seed.user.login).login,
      assignees: logins(seed.assignees),
      labels: (seed.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)),
      milestone: seed.milestone?.title ?? null,
      created_at: seed.created_at,
      updated_at: seed.updated_at ?? seed.created_at,
      closed_at: seed.closed_at ?? null,
      timeline: [],
    };
    if ('head' in seed) {
      item.state_reason = null;
      item.pull = {
        head: seed.head.ref,
        base: seed.base.ref,
        draft: seed.draft ?? false,
        merged_at: seed.merged_at ?? null,
        merged_by: seed.merged_by?.login ?? null,
        requested_reviewers: logins(seed.requested_reviewers),
        requested_teams: (seed.requested_teams ?? []).map((t) => t.slug),
      };
    }
    return item;
  }

  private eventFromSeed(seed: SeedTimelineEvent, item: SimIssue): SimEvent {
    const actor = (seed.actor ?? seed.user ?? { login: item.user }).login;
    this.user(actor);
    return {
      id: seed.id ?? this.nextId('event'),
      event: seed.event,
      actor,
      created_at: seed.created_at ?? seed.submitted_at ?? item.updated_at,
      assignee: seed.assignee?.login,
      requested_reviewer: seed.requested_reviewer?.login,
      requested_team: seed.requested_team?.slug,
      state: seed.state?.toLowerCase() as ReviewState | undefined,
      body: seed.body,
      state_reason: seed.state_reason as StateReason | undefined,
    };
  }
}
