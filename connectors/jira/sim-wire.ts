import { tzOffset } from '@date-fns/tz';

/** Jira's JSON for the simulator: users, statuses and the other objects an issue embeds. */

export interface SimUser {
  accountId: string;
  displayName: string;
  /** Left out for people whose Atlassian profile hides it, as Jira does. */
  emailAddress?: string;
  timeZone?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the simulator builds and edits Jira's loosely typed JSON in place
export type WireValue = any;

export type WireIssue = {
  expand?: string;
  id: string;
  self?: string;
  key: string;
  fields: Record<string, WireValue>;
  changelog?: { startAt?: number; maxResults?: number; total?: number; histories: WireHistory[] };
};

export type WireHistory = {
  id: string;
  author?: Record<string, unknown>;
  created: string;
  items: WireChangeItem[];
};

export type WireChangeItem = {
  field: string;
  fieldtype: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
};

export type CategoryKey = 'new' | 'indeterminate' | 'done';

/** Jira's three status categories, with their real ids. */
const CATEGORIES: Record<CategoryKey, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};

/** The simulator's workflow. Unknown names passed to `transition` get category indeterminate. */
export const STATUSES: Record<string, { id: string; category: CategoryKey }> = {
  'To Do': { id: '10000', category: 'new' },
  'In Progress': { id: '3', category: 'indeterminate' },
  'Awaiting approval': { id: '10010', category: 'indeterminate' },
  'In Review': { id: '10011', category: 'indeterminate' },
  Done: { id: '10001', category: 'done' },
  Rejected: { id: '10012', category: 'done' },
};

const ISSUE_TYPES: Record<string, { id: string; hierarchyLevel: number }> = {
  Epic: { id: '10000', hierarchyLevel: 1 },
  Story: { id: '10001', hierarchyLevel: 0 },
  Task: { id: '10002', hierarchyLevel: 0 },
  Bug: { id: '10004', hierarchyLevel: 0 },
};
const PRIORITIES: Record<string, string> = { Highest: '1', High: '2', Medium: '3', Low: '4', Lowest: '5' };
const AVATAR = 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default-avatar.png';

/** `2024-01-15T11:30:00.000+0100`: Jira renders times in the requesting user's zone. */
export function jiraTime(ms: number, timeZone: string): string {
  const offset = tzOffset(timeZone, new Date(ms));
  const minutes = Number.isFinite(offset) ? offset : 0;
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

export function userJson(base: string, user: SimUser): Record<string, unknown> {
  const json: Record<string, unknown> = {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    avatarUrls: { '48x48': AVATAR, '24x24': AVATAR, '16x16': AVATAR, '32x32': AVATAR },
    displayName: user.displayName,
    active: true,
    timeZone: user.timeZone ?? 'UTC',
    accountType: 'atlassian',
  };
  if (user.emailAddress) json.emailAddress = user.emailAddress;
  return json;
}

export function statusJson(base: string, name: string): Record<string, unknown> {
  const status = STATUSES[name] ?? { id: '10099', category: 'indeterminate' as const };
  const category = CATEGORIES[status.category];
  return {
    self: `${base}/rest/api/3/status/${status.id}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name,
    id: status.id,
    statusCategory: {
      self: `${base}/rest/api/3/statuscategory/${category.id}`,
      id: category.id,
      key: status.category,
      colorName: category.colorName,
      name: category.name,
    },
  };
}

export function issueTypeJson(base: string, name: string): Record<string, unknown> {
  const type = ISSUE_TYPES[name] ?? { id: '10002', hierarchyLevel: 0 };
  return {
    self: `${base}/rest/api/3/issuetype/${type.id}`,
    id: type.id,
    description: '',
    iconUrl: `${base}/images/icons/issuetypes/${name.toLowerCase()}.svg`,
    name,
    subtask: false,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function priorityJson(base: string, name: string): Record<string, unknown> {
  const id = PRIORITIES[name] ?? '3';
  return {
    self: `${base}/rest/api/3/priority/${id}`,
    iconUrl: `${base}/images/icons/priorities/medium.svg`,
    name,
    id,
  };
}

export function projectJson(base: string, key: string, id: string): Record<string, unknown> {
  return {
    self: `${base}/rest/api/3/project/${id}`,
    id,
    key,
    name: key,
    projectTypeKey: 'software',
    simplified: false,
    avatarUrls: { '48x48': AVATAR, '24x24': AVATAR, '16x16': AVATAR, '32x32': AVATAR },
  };
}

export function resolutionJson(base: string, name: string): Record<string, unknown> {
  const id = name === 'Done' ? '10000' : '10001';
  return { self: `${base}/rest/api/3/resolution/${id}`, id, description: '', name };
}

/** A change item as Jira writes it: every key present, empty sides as null. */
export function changeItem(
  fieldId: string,
  from: string | null,
  fromText: string | null,
  to: string | null,
  toText: string | null,
  field = fieldId,
): WireChangeItem {
  const fieldtype = fieldId.startsWith('customfield_') ? 'custom' : 'jira';
  return { field, fieldtype, fieldId, from, fromString: fromText, to, toString: toText };
}

/** A plain-text paragraph in Atlassian Document Format. */
export function adfText(text: string): Record<string, unknown> {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
