import {
  changeItem,
  issueTypeJson,
  jiraTime,
  priorityJson,
  projectJson,
  resolutionJson,
  type SimUser,
  STATUSES,
  statusJson,
  userJson,
  type WireHistory,
  type WireIssue,
} from '../../connectors/jira/sim-wire.js';
import {
  between,
  DAYS,
  fillTemplate,
  HOURS,
  pick,
  type Rand,
  randomStream,
  weighted,
  workingMoment,
} from './filler-kit.js';
import type { FillerSpec, JiraGroup } from './filler-spec.js';
import { type DemoPeople, type DemoPerson, personOf } from './people.js';

/** Self links in seed data name the site the story is set on; the simulator never follows them. */
export const JIRA_SITE = 'https://acme.atlassian.net';

export function jiraUser(person: DemoPerson): SimUser {
  if (!person.jira) throw new Error(`demo: ${person.key} has no jira identity in the plans`);
  return { accountId: person.jira, displayName: person.name, emailAddress: person.email };
}

/** Filler issues in Jira's wire format, as `GET /rest/api/3/issue/{key}?expand=changelog` returns them. */
export function jiraFiller(
  spec: FillerSpec,
  people: DemoPeople,
  epoch: Date,
  projects: string[],
): WireIssue[] {
  return spec.jira.flatMap((group, index) => {
    const rand = randomStream(spec.seed, `jira:${group.project}:${index}`);
    return Array.from({ length: group.count }, (_, i) =>
      fillerIssue(group, i, 100_000 + index * 10_000, { rand, spec, people, epoch, projects }),
    );
  });
}

interface Context {
  rand: Rand;
  spec: FillerSpec;
  people: DemoPeople;
  epoch: Date;
  projects: string[];
}

/** The statuses an issue passes through on its way to `status`, after To Do. */
function pathTo(status: string): string[] {
  if (status === 'To Do') return [];
  if (status === 'In Progress') return ['In Progress'];
  if (status === 'In Review') return ['In Progress', 'In Review'];
  if (status === 'Done') return ['In Progress', 'In Review', 'Done'];
  return ['In Progress', status];
}

function fillerIssue(group: JiraGroup, i: number, idBase: number, c: Context): WireIssue {
  const { rand } = c;
  const number = group.firstNumber + i;
  const key = `${group.project}-${number}`;
  const status = weighted(rand, group.statuses);
  const reporter = jiraUser(personOf(c.people, pick(rand, group.reporters)));
  // Unstarted work has nobody on it yet: an assignment would open a handoff nobody means.
  const assignee = status === 'To Do' ? null : jiraUser(personOf(c.people, pick(rand, group.people)));
  const createdMs = workingMoment(c.epoch, between(rand, group.daysAgo[1], group.daysAgo[0]), rand);
  const latest = c.epoch.getTime() - HOURS;
  const histories: WireHistory[] = [];
  let at = createdMs;
  let historyId = idBase * 10 + i * 10;
  const next = () => {
    at = Math.min(latest, at + between(rand, 2 * HOURS, 3 * DAYS));
    return jiraTime(at, 'UTC');
  };
  if (assignee) {
    histories.push({
      id: String(historyId++),
      author: userJson(JIRA_SITE, reporter),
      created: next(),
      items: [changeItem('assignee', null, null, assignee.accountId, assignee.displayName)],
    });
  }
  let from = 'To Do';
  for (const to of pathTo(status)) {
    histories.push({
      id: String(historyId++),
      author: userJson(JIRA_SITE, assignee ?? reporter),
      created: next(),
      items: [changeItem('status', STATUSES[from]?.id ?? null, from, STATUSES[to]?.id ?? null, to)],
    });
    from = to;
  }
  const type = pick(rand, group.types);
  const labels = [...group.alwaysLabels, ...(group.labels.length > 0 ? [pick(rand, group.labels)] : [])];
  const done = STATUSES[status]?.category === 'done';
  const projectId = String(10_000 + Math.max(0, c.projects.indexOf(group.project)));
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: String(idBase + number),
    self: `${JIRA_SITE}/rest/api/3/issue/${idBase + number}`,
    key,
    fields: {
      summary: fillTemplate(pick(rand, group.titles), rand, c.spec.words, { n: String(number) }),
      status: statusJson(JIRA_SITE, status),
      issuetype: issueTypeJson(JIRA_SITE, type),
      project: projectJson(JIRA_SITE, group.project, projectId),
      priority: priorityJson(JIRA_SITE, pick(rand, ['Medium', 'Medium', 'High', 'Low'])),
      assignee: assignee ? userJson(JIRA_SITE, assignee) : null,
      reporter: userJson(JIRA_SITE, reporter),
      creator: userJson(JIRA_SITE, reporter),
      labels,
      components: [],
      fixVersions: [],
      resolution: done ? resolutionJson(JIRA_SITE, 'Done') : null,
      created: jiraTime(createdMs, 'UTC'),
      updated: jiraTime(at, 'UTC'),
      duedate: null,
      issuelinks: [],
      comment: { comments: [], maxResults: 0, total: 0, startAt: 0 },
    },
    changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories },
  };
}
