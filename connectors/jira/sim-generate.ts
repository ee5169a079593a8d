import { mulberry32 } from '../../src/connectors/kit/seeded-random.js';
import {
  adfText,
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
} from './sim-wire.js';

/**
 * Deterministic large data for benchmarks: `generateIssues(n, seed)` describes n issues by a few
 * numbers each; the full JSON is built only when a page needs it, so 100,000 issues cost a few MB.
 */

const NAMES = [
  'Mia Chen',
  'Omar Haddad',
  'Lena Vogel',
  'Ravi Kumar',
  'Sofia Rossi',
  'Kenji Sato',
  'Ada Okafor',
  'Tom Berg',
];
const VERBS = ['Build', 'Fix', 'Review', 'Migrate', 'Document', 'Test', 'Design', 'Ship'];
const NOUNS = [
  'checkout flow',
  'payment retries',
  'invoice export',
  'login page',
  'audit log',
  'rate limiter',
  'search index',
];
const LABELS = ['backend', 'frontend', 'payments', 'infra', 'customer'];
const PATHS = [
  ['To Do'],
  ['To Do', 'In Progress'],
  ['To Do', 'In Progress', 'In Review'],
  ['To Do', 'In Progress', 'Awaiting approval'],
  ['To Do', 'In Progress', 'Awaiting approval', 'Done'],
  ['To Do', 'In Progress', 'Awaiting approval', 'In Progress'],
];

/** The people in generated data; every fourth hides their email, as Atlassian profiles may. */
export const SIM_USERS: SimUser[] = NAMES.map((name, index) => ({
  accountId: `712020:${(0x5a1e0000 + index * 7919).toString(16)}-b4f0-4c1e-9d2a-${String(index).padStart(12, '0')}`,
  displayName: name,
  ...(index % 4 === 3 ? {} : { emailAddress: `${name.toLowerCase().replace(' ', '.')}@example.com` }),
}));

export interface GeneratedSpec {
  count: number;
  seed: number;
  projects: string[];
  /** `updated` of the newest generated issue; the rest lie 30 s apart before it. */
  endMs: number;
}

export interface GeneratedRow {
  id: number;
  project: string;
  num: number;
  updatedMs: number;
  index: number;
}

export const DEFAULT_GENERATED_END = Date.UTC(2025, 5, 1);

export function generateIssues(
  n: number,
  seed = 1,
  projects = ['CHK', 'OPS'],
  endMs = DEFAULT_GENERATED_END,
) {
  const spec: GeneratedSpec = { count: n, seed, projects, endMs };
  const rows: GeneratedRow[] = [];
  for (let index = 0; index < n; index++) {
    // Every tenth issue shares its predecessor's `updated`: bulk edits make ties, and paging must cope.
    const slot = index % 10 === 9 ? index - 1 : index;
    rows.push({
      id: 10_000 + index,
      project: projects[index % projects.length],
      num: Math.floor(index / projects.length) + 1,
      updatedMs: endMs - (n - 1 - slot) * 30_000,
      index,
    });
  }
  return { spec, rows };
}

function random(seed: number, index: number): () => number {
  return mulberry32(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
}

/** The full wire JSON of one generated issue, the same every time for the same spec and row. */
export function generatedIssue(
  spec: GeneratedSpec,
  row: GeneratedRow,
  base: string,
  timeZone: string,
): WireIssue {
  const rnd = random(spec.seed, row.index);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  const time = (ms: number) => jiraTime(ms, timeZone);
  const createdMs = row.updatedMs - Math.floor(rnd() * 30 * 86_400_000) - 60_000;
  const reporter = pick(SIM_USERS);
  const assignee = rnd() < 0.8 ? pick(SIM_USERS) : null;
  const path = pick(PATHS);
  const status = path[path.length - 1];
  const histories: WireHistory[] = [];
  const step = (row.updatedMs - createdMs) / path.length;
  let historyId = row.id * 10;
  if (assignee) {
    histories.push({
      id: String(historyId++),
      author: userJson(base, reporter),
      created: time(createdMs + Math.floor(step / 2)),
      items: [changeItem('assignee', null, null, assignee.accountId, assignee.displayName)],
    });
  }
  for (let i = 1; i < path.length; i++) {
    const [from, to] = [path[i - 1], path[i]];
    histories.push({
      id: String(historyId++),
      author: userJson(base, i === path.length - 1 ? (assignee ?? reporter) : reporter),
      created: time(i === path.length - 1 ? row.updatedMs : createdMs + Math.floor(step * i)),
      items: [changeItem('status', STATUSES[from].id, from, STATUSES[to].id, to)],
    });
  }
  const key = `${row.project}-${row.num}`;
  const ref =
    row.num > 1 && rnd() < 0.1 ? ` (see ${row.project}-${1 + Math.floor(rnd() * (row.num - 1))})` : '';
  const commenter = pick(SIM_USERS);
  const comments =
    rnd() < 0.3
      ? [
          {
            self: `${base}/rest/api/3/issue/${row.id}/comment/${row.id * 10 + 9}`,
            id: String(row.id * 10 + 9),
            author: userJson(base, commenter),
            body: adfText('Looks good to me, one question on the rollout.'),
            updateAuthor: userJson(base, commenter),
            created: time(createdMs + Math.floor(step / 3)),
            updated: time(createdMs + Math.floor(step / 3)),
            jsdPublic: true,
          },
        ]
      : [];
  const labels = LABELS.filter(() => rnd() < 0.2);
  const due =
    rnd() < 0.3
      ? new Date(row.updatedMs + Math.floor(rnd() * 20) * 86_400_000).toISOString().slice(0, 10)
      : null;
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: String(row.id),
    self: `${base}/rest/api/3/issue/${row.id}`,
    key,
    fields: {
      summary: `${pick(VERBS)} ${pick(NOUNS)} #${row.index}${ref}`,
      status: statusJson(base, status),
      issuetype: issueTypeJson(base, pick(['Task', 'Story', 'Bug'])),
      project: projectJson(base, row.project, String(10_000 + spec.projects.indexOf(row.project))),
      priority: priorityJson(base, pick(['High', 'Medium', 'Low'])),
      assignee: assignee ? userJson(base, assignee) : null,
      reporter: userJson(base, reporter),
      creator: userJson(base, reporter),
      labels,
      components: [],
      fixVersions: [],
      resolution: status === 'Done' ? resolutionJson(base, 'Done') : null,
      created: time(createdMs),
      updated: time(row.updatedMs),
      duedate: due,
      issuelinks: [],
      comment: {
        self: `${base}/rest/api/3/issue/${row.id}/comment`,
        maxResults: comments.length,
        total: comments.length,
        startAt: 0,
        comments,
      },
    },
    changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories },
  };
}
