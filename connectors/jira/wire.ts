/**
 * The parts of Jira's wire format Baton reads (REST v3 search/issue, and the v2-style issue inside
 * webhook payloads). Loose on purpose: Jira adds fields freely and jira.js validates loosely too.
 */

export interface JiraUser {
  accountId?: string;
  displayName?: string;
  emailAddress?: string;
  [key: string]: unknown;
}

/** One changed field in a changelog entry. `toString` is a real key here, so read it with `changeText`. */
export interface JiraChangeItem {
  field?: string;
  fieldId?: string;
  fieldtype?: string;
  from?: string | null;
  fromString?: string | null;
  to?: string | null;
  [key: string]: unknown;
}

export interface JiraHistory {
  id?: string | number;
  author?: JiraUser;
  /** A string on the wire; jira.js turns it into a Date when it validates the response. */
  created?: string | Date;
  items?: JiraChangeItem[];
}

export interface JiraComment {
  id?: string;
  author?: JiraUser;
  /** Atlassian Document Format in REST v3; plain wiki text in webhook payloads. */
  body?: unknown;
  created?: string | Date;
  updated?: string | Date;
}

type Named = { id?: string; name?: string };
type IssueType = Named & { hierarchyLevel?: number };
type LinkedIssue = { key?: string; fields?: { issuetype?: IssueType } };

/** The fields Baton reads; any other field (custom fields, `fields` extras) stays `unknown`. */
export interface JiraFields {
  summary?: string;
  status?: Named & { statusCategory?: { key?: string } };
  issuetype?: IssueType;
  project?: { key?: string };
  priority?: Named | null;
  resolution?: Named | null;
  assignee?: JiraUser | null;
  reporter?: JiraUser | null;
  creator?: JiraUser | null;
  labels?: unknown[];
  components?: Named[];
  fixVersions?: Named[];
  created?: string;
  updated?: string;
  duedate?: string | null;
  parent?: LinkedIssue | null;
  issuelinks?: { inwardIssue?: LinkedIssue; outwardIssue?: LinkedIssue }[];
  comment?: { comments?: JiraComment[] };
  [field: string]: unknown;
}

export interface JiraIssue {
  id?: string;
  key?: string;
  fields?: JiraFields;
  changelog?: { histories?: JiraHistory[] };
}

/** `from`/`to` text of a change item. A missing `toString` key must not resolve to Object.prototype's. */
export function changeText(item: JiraChangeItem, side: 'from' | 'to'): string | null {
  const value = Object.hasOwn(item, `${side}String`) ? item[`${side}String`] : undefined;
  return typeof value === 'string' && value !== '' ? value : null;
}

export function changeValue(item: JiraChangeItem, side: 'from' | 'to'): string | null {
  const value = item[side];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Jira writes `2024-01-15T10:30:00.000+0100`; SourceRecord wants ISO-8601 with a colon offset. */
export function toIso(value: string | Date | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
