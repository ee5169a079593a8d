import type {
  GitHubSeed,
  SeedIssue,
  SeedPull,
  SeedTimelineEvent,
} from '../../connectors/github/simulator.js';
import {
  between,
  DAYS,
  fillTemplate,
  HOURS,
  pick,
  type Rand,
  randomStream,
  workingMoment,
} from './filler-kit.js';
import type { FillerSpec, GitHubGroup } from './filler-spec.js';
import { type DemoPeople, personOf } from './people.js';

/** GitHub's timestamps: UTC, whole seconds. */
const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Filler pull requests and issues in GitHub's REST field names. Merged pull requests carry the
 * review that approved them; open ones are drafts nobody was asked to review yet, so the filler
 * adds history without adding handoffs to the story.
 */
export function githubFiller(spec: FillerSpec, people: DemoPeople, epoch: Date): GitHubSeed {
  const repos = spec.github.map((group, index) => {
    const rand = randomStream(spec.seed, `github:${group.repo}:${index}`);
    const login = (key: string) => {
      const person = personOf(people, key);
      if (!person.github) throw new Error(`demo: ${key} has no github identity in the plans`);
      return person.github;
    };
    const refs = referenceKeys(spec, group);
    const pulls: SeedPull[] = [];
    const issues: SeedIssue[] = [];
    const timelines: Record<string, SeedTimelineEvent[]> = {};
    for (let i = 0; i < group.pulls + group.issues; i++) {
      const number = group.firstNumber + i;
      const isPull = i < group.pulls;
      const author = login(pick(rand, group.authors));
      const createdMs = workingMoment(epoch, between(rand, group.daysAgo[1], group.daysAgo[0]), rand);
      const ref = refs.length > 0 ? pick(rand, refs) : '';
      const titles = isPull ? group.titles : (group.issueTitles ?? group.titles);
      const title = fillTemplate(pick(rand, titles), rand, spec.words, { n: String(number), ref });
      const base: SeedIssue = {
        number,
        title,
        body: ref ? `Part of ${ref}.` : null,
        user: { login: author },
        labels: [],
        created_at: stamp(createdMs),
      };
      if (isPull) {
        const { pull, events } = fillerPull(base, i, group, rand, createdMs, epoch, ref, login);
        pulls.push(pull);
        if (events.length > 0) timelines[String(number)] = events;
      } else {
        issues.push(fillerIssue(base, rand, createdMs, epoch, author, timelines));
      }
    }
    return { full_name: group.repo, pulls, issues, timelines };
  });
  return { repos };
}

function referenceKeys(spec: FillerSpec, group: GitHubGroup): string[] {
  if (!group.references) return [];
  return spec.jira
    .filter((g) => g.project === group.references)
    .flatMap((g) => Array.from({ length: g.count }, (_, i) => `${g.project}-${g.firstNumber + i}`));
}

function fillerPull(
  base: SeedIssue,
  i: number,
  group: GitHubGroup,
  rand: Rand,
  createdMs: number,
  epoch: Date,
  ref: string,
  login: (key: string) => string,
): { pull: SeedPull; events: SeedTimelineEvent[] } {
  const author = base.user.login;
  const reviewers = group.reviewers.map(login).filter((r) => r !== author);
  const reviewer = pick(rand, reviewers.length > 0 ? reviewers : [author]);
  const branch = `${ref ? `${ref}-` : ''}change-${base.number}`.toLowerCase();
  const pull: SeedPull = { ...base, head: { ref: `feature/${branch}` }, base: { ref: 'main' } };
  const events: SeedTimelineEvent[] = [];
  const latest = epoch.getTime() - HOURS;
  const requested = Math.min(latest, createdMs + between(rand, 0.5 * HOURS, 4 * HOURS));
  const reviewed = Math.min(latest, requested + between(rand, 2 * HOURS, 2 * DAYS));
  const finished = Math.min(latest, reviewed + between(rand, 1 * HOURS, 6 * HOURS));
  if (i < group.merged) {
    events.push(
      {
        event: 'review_requested',
        actor: { login: author },
        requested_reviewer: { login: reviewer },
        created_at: stamp(requested),
      },
      { event: 'reviewed', user: { login: reviewer }, state: 'approved', submitted_at: stamp(reviewed) },
      { event: 'merged', actor: { login: author }, created_at: stamp(finished) },
      { event: 'closed', actor: { login: author }, created_at: stamp(finished) },
    );
    Object.assign(pull, {
      state: 'closed',
      closed_at: stamp(finished),
      merged_at: stamp(finished),
      merged_by: { login: author },
      updated_at: stamp(finished),
    });
  } else if (i < group.merged + group.closed) {
    events.push({ event: 'closed', actor: { login: author }, created_at: stamp(finished) });
    Object.assign(pull, { state: 'closed', closed_at: stamp(finished), updated_at: stamp(finished) });
  } else {
    Object.assign(pull, { draft: true, updated_at: stamp(requested) });
  }
  return { pull, events };
}

function fillerIssue(
  base: SeedIssue,
  rand: Rand,
  createdMs: number,
  epoch: Date,
  author: string,
  timelines: Record<string, SeedTimelineEvent[]>,
): SeedIssue {
  if (rand() < 0.25) return { ...base, updated_at: base.created_at };
  const closedMs = Math.min(epoch.getTime() - HOURS, createdMs + between(rand, 1 * DAYS, 10 * DAYS));
  timelines[String(base.number)] = [
    { event: 'closed', actor: { login: author }, state_reason: 'completed', created_at: stamp(closedMs) },
  ];
  return {
    ...base,
    state: 'closed',
    state_reason: 'completed',
    closed_at: stamp(closedMs),
    updated_at: stamp(closedMs),
  };
}
