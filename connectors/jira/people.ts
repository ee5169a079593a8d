import type { Identity } from '../../src/domain/source-record.js';
import type { JiraIssue, JiraUser } from './wire.js';

export function identityOf(user: JiraUser | null | undefined): Identity | undefined {
  if (!user || typeof user.accountId !== 'string' || user.accountId === '') return undefined;
  const identity: Identity = { tool: 'jira', id: user.accountId };
  if (user.displayName) identity.name = user.displayName;
  // Present only when the person's privacy settings (or the app's scopes) let Jira show it.
  if (user.emailAddress) identity.email = user.emailAddress;
  return identity;
}

/**
 * Everyone an issue names, by accountId. Changelog items carry only an id and a display name; this
 * gives them the email address Jira showed elsewhere on the same issue, so Baton can link people.
 */
export class People {
  private readonly byId = new Map<string, Identity>();

  add(user: JiraUser | null | undefined): Identity | undefined {
    const identity = identityOf(user);
    if (!identity) return undefined;
    const known = this.byId.get(identity.id);
    if (!known || (!known.email && identity.email)) this.byId.set(identity.id, identity);
    return this.byId.get(identity.id);
  }

  /** The fullest identity known for an account id; `name` is the changelog's display text. */
  get(accountId: string | null | undefined, name?: string | null): Identity | undefined {
    if (!accountId) return undefined;
    return this.byId.get(accountId) ?? { tool: 'jira', id: accountId, ...(name ? { name } : {}) };
  }

  static of(issue: JiraIssue, approverField?: string): People {
    const people = new People();
    const fields = issue.fields ?? {};
    for (const user of [fields.assignee, fields.reporter, fields.creator]) people.add(user);
    if (approverField) for (const user of asUsers(fields[approverField])) people.add(user);
    for (const history of issue.changelog?.histories ?? []) people.add(history.author);
    for (const comment of fields.comment?.comments ?? []) people.add(comment.author);
    return people;
  }
}

/** A user-picker field holds one user; a multi-user picker holds an array of them. */
export function asUsers(value: unknown): JiraUser[] {
  if (Array.isArray(value)) return value.filter((v): v is JiraUser => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as JiraUser] : [];
}
