import type { SourceRecord, StateCategory } from '../../src/domain/source-record.js';
import { issueActivity } from './activity.js';
import type { NormalizeOptions } from './config.js';
import { asUsers, People } from './people.js';
import { trimRaw } from './raw.js';
import { type JiraComment, type JiraFields, type JiraIssue, toIso } from './wire.js';

const JIRA_KEY = /\b[A-Z][A-Z0-9]+-\d+\b/g;
/** Resolutions and statuses that end an issue without doing it. */
const CANCELLED = /won'?t (do|fix)|declin|reject|cancel|duplicate|obsolete|abandon|not needed/i;

export class JiraPayloadError extends Error {
  readonly code = 'jira_payload_incomplete';
}

/** An issue carries enough to become a full record (webhook payloads sometimes do not). */
export function isCompleteIssue(issue: JiraIssue | undefined): boolean {
  const f = issue?.fields;
  return (
    !!issue?.id && !!f && toIso(f.created) !== undefined && toIso(f.updated) !== undefined && !!f.status?.name
  );
}

/** A Jira issue (search result, issue GET or webhook payload) as Baton's SourceRecord. Pure. */
export function normalizeIssue(issue: JiraIssue, options: NormalizeOptions): SourceRecord {
  if (!isCompleteIssue(issue))
    throw new JiraPayloadError(`issue ${issue.id ?? issue.key ?? '?'} lacks id, status or times`);
  const f = issue.fields!;
  const people = People.of(issue, options.approverField);
  const key = issue.key;
  const status = f.status?.name ?? '';
  const categoryKey = f.status?.statusCategory?.key;
  const resolution: string | null = f.resolution?.name ?? null;
  const createdAt = toIso(f.created)!;
  const author = people.add(f.reporter) ?? people.add(f.creator);
  const approver = options.approverField ? asUsers(f[options.approverField])[0] : undefined;
  const comments: JiraComment[] = f.comment?.comments ?? [];

  const record: SourceRecord = {
    source: 'jira',
    externalId: String(issue.id),
    kind: 'issue',
    title: typeof f.summary === 'string' ? f.summary : '',
    state: { raw: status, category: stateCategory(categoryKey, status, resolution) },
    assignees: [people.add(f.assignee)].filter((p) => p !== undefined),
    reviewers: [],
    labels: Array.isArray(f.labels) ? f.labels.map(String) : [],
    references: references(issue),
    createdAt,
    updatedAt: toIso(f.updated)!,
    deleted: false,
    fields: issueFields(issue, options, resolution),
    activity: issueActivity({
      histories: issue.changelog?.histories ?? [],
      comments,
      people,
      current: { status, categoryKey, assigneeId: f.assignee?.accountId, approverId: approver?.accountId },
      approvalStatuses: options.approvalStatuses,
      approverField: options.approverField,
      created: { at: createdAt, by: author },
    }),
    raw: trimRaw(issue),
  };
  if (key) {
    record.key = key;
    record.url = `${options.siteUrl}/browse/${key}`;
  }
  if (author) record.author = author;
  if (f.project?.key) record.container = f.project.key;
  if (f.parent?.key) record.parent = f.parent.key;
  if (typeof f.duedate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(f.duedate)) {
    // Jira due dates are calendar dates: due means "by the end of that day".
    record.dueAt = `${f.duedate}T23:59:59.999Z`;
  }
  return record;
}

/** Status category → Baton's coarse category; a "Won't Do"-like resolution or status is cancelled. */
export function stateCategory(
  categoryKey: string | undefined,
  status: string,
  resolution: string | null,
): StateCategory {
  if ((resolution && CANCELLED.test(resolution)) || (categoryKey === 'done' && CANCELLED.test(status))) {
    return 'cancelled';
  }
  if (categoryKey === 'done') return 'done';
  if (categoryKey === 'indeterminate') return 'in_progress';
  return 'todo';
}

function references(issue: JiraIssue): string[] {
  const f = issue.fields ?? {};
  const keys = new Set<string>(typeof f.summary === 'string' ? (f.summary.match(JIRA_KEY) ?? []) : []);
  for (const link of Array.isArray(f.issuelinks) ? f.issuelinks : []) {
    const other = link?.inwardIssue?.key ?? link?.outwardIssue?.key;
    if (typeof other === 'string') keys.add(other);
  }
  if (issue.key) keys.delete(issue.key);
  return [...keys];
}

/** The flat values mapping selectors test (documented in docs/connectors/jira.md). */
function issueFields(
  issue: JiraIssue,
  options: NormalizeOptions,
  resolution: string | null,
): Record<string, unknown> {
  const f = issue.fields ?? {};
  const out: Record<string, unknown> = {
    project: f.project?.key ?? null,
    issueType: f.issuetype?.name ?? null,
    priority: f.priority?.name ?? null,
    status: f.status?.name ?? null,
    statusCategory: f.status?.statusCategory?.key ?? null,
    components: names(f.components),
    fixVersions: names(f.fixVersions),
    parent: f.parent?.key ?? null,
    epic: isEpic(f.parent) ? (f.parent?.key ?? null) : null,
    resolution,
  };
  if (options.approverField) out.approver = asUsers(f[options.approverField])[0]?.accountId ?? null;
  for (const id of options.extraFields) if (!(id in out)) out[id] = simplify(f[id]);
  return out;
}

const names = (list: { name?: string }[] | undefined) =>
  Array.isArray(list) ? list.map((v) => v?.name).filter((n): n is string => typeof n === 'string') : [];

function isEpic(parent: JiraFields['parent']): boolean {
  const type = parent?.fields?.issuetype;
  return !!parent?.key && (type?.hierarchyLevel === 1 || type?.name === 'Epic');
}

/** Option, user, version and similar objects become their human value; lists stay lists. */
function simplify(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(simplify);
  if (typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  return v.value ?? v.name ?? v.displayName ?? v.key ?? v.id ?? null;
}
