import { createHash } from 'node:crypto';
import type { Label, Milestone, Reactions, Team, User } from '@octokit/webhooks-types';
import type { SimRepo } from './model.js';
import type { SimStore } from './store.js';

/** Where rendered objects point: API URLs at the simulator, html_url at `htmlBase`. */
export interface WireContext {
  store: SimStore;
  apiBase: string;
  htmlBase: string;
}

/** A stable pseudo-random id or sha from a name, so renders are deterministic. */
export function digest(text: string, length = 40): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

export function nodeId(prefix: string, id: number): string {
  return Buffer.from(`${prefix}${id}`).toString('base64');
}

export function wireUser(w: WireContext, login: string): User {
  const user = w.store.user(login);
  const api = `${w.apiBase}/users/${login}`;
  return {
    login,
    id: user.id,
    node_id: nodeId('04:User', user.id),
    ...(user.name ? { name: user.name } : {}),
    ...(user.email ? { email: user.email } : {}),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${w.htmlBase}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

export function wireTeam(w: WireContext, repo: SimRepo, slug: string): Team {
  const org = repo.full_name.split('/')[0];
  const id = Number.parseInt(digest(`${org}/${slug}`, 7), 16);
  return {
    name: slug,
    id,
    node_id: nodeId('04:Team', id),
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    url: `${w.apiBase}/organizations/${org}/team/${id}`,
    html_url: `${w.htmlBase}/orgs/${org}/teams/${slug}`,
    members_url: `${w.apiBase}/organizations/${org}/team/${id}/members{/member}`,
    repositories_url: `${w.apiBase}/organizations/${org}/team/${id}/repos`,
    permission: 'pull',
    parent: null,
  };
}

export function wireLabel(w: WireContext, repo: SimRepo, name: string): Label {
  const id = Number.parseInt(digest(`${repo.full_name}:${name}`, 8), 16);
  return {
    id,
    node_id: nodeId('05:Label', id),
    url: `${w.apiBase}/repos/${repo.full_name}/labels/${encodeURIComponent(name)}`,
    name,
    description: null,
    color: digest(name, 6),
    default: false,
  };
}

export function wireMilestone(w: WireContext, repo: SimRepo, title: string, owner: string): Milestone {
  const number = Number.parseInt(digest(`${repo.full_name}:${title}`, 3), 16) % 100 || 1;
  const id = repo.id * 1000 + number;
  return {
    url: `${w.apiBase}/repos/${repo.full_name}/milestones/${number}`,
    html_url: `${w.htmlBase}/${repo.full_name}/milestone/${number}`,
    labels_url: `${w.apiBase}/repos/${repo.full_name}/milestones/${number}/labels`,
    id,
    node_id: nodeId('09:Milestone', id),
    number,
    title,
    description: null,
    creator: wireUser(w, owner),
    open_issues: 0,
    closed_issues: 0,
    state: 'open',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    due_on: null,
    closed_at: null,
  };
}

export function wireReactions(url: string): Reactions {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}
