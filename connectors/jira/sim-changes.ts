import type { IssueStore, Row } from './sim-store.js';
import type { WebhookEvent } from './sim-webhooks.js';
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
  type WireChangeItem,
  type WireIssue,
  type WireValue,
} from './sim-wire.js';

export interface NewIssue {
  project: string;
  summary: string;
  issueType?: string;
  status?: string;
  priority?: string;
  assignee?: string | null;
  reporter?: string;
  labels?: string[];
  duedate?: string | null;
  parent?: string;
  /** More fields in wire format (e.g. a custom field). */
  fields?: Record<string, unknown>;
}

interface Deps {
  store: IssueStore;
  users: SimUser[];
  apiUser: SimUser;
  projects: string[];
  base(): string;
  timeZone(): string;
  now(): Date;
  emit(event: Omit<WebhookEvent, 'timestampMs'>): Promise<void>;
}

/**
 * Every change the simulator's controls (and its comment endpoint) make goes through here: it
 * writes the change, the changelog entry and `updated`, then emits the webhook Jira would send.
 */
export class IssueChanges {
  private historyId = 50_000_000;
  private commentId = 60_000_000;

  constructor(private readonly deps: Deps) {}

  private user(accountId: string | undefined): SimUser {
    if (!accountId) return this.deps.apiUser;
    const user = this.deps.users.find((u) => u.accountId === accountId);
    if (!user) throw new Error(`no user ${accountId} in the simulator`);
    return user;
  }

  private time(ms: number): string {
    return jiraTime(ms, this.deps.timeZone());
  }

  /** Writes `updated` (never backwards) and, when there are items, one changelog entry. */
  private record(row: Row, issue: WireIssue, actor: SimUser, items: WireChangeItem[]) {
    const ms = Math.max(this.deps.now().getTime(), row.updatedMs);
    const history = items.length
      ? {
          id: String(this.historyId++),
          author: userJson(this.deps.base(), actor),
          created: this.time(ms),
          items,
        }
      : null;
    if (history) {
      issue.changelog ??= { startAt: 0, maxResults: 0, total: 0, histories: [] };
      issue.changelog.histories.push(history);
      issue.changelog.total = issue.changelog.maxResults = issue.changelog.histories.length;
    }
    issue.fields.updated = this.time(ms);
    this.deps.store.touch(row, ms);
    return history ? { id: history.id, items } : undefined;
  }

  async create(input: NewIssue, actorId?: string): Promise<WireIssue> {
    const { store, base } = this.deps;
    const actor = this.user(actorId);
    const ms = this.deps.now().getTime();
    const id = store.nextId();
    const num = store.nextNumber(input.project);
    const status = input.status ?? 'To Do';
    const assignee = input.assignee ? this.user(input.assignee) : null;
    const reporter = input.reporter ? this.user(input.reporter) : actor;
    const issue: WireIssue = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: String(id),
      self: `${base()}/rest/api/3/issue/${id}`,
      key: `${input.project}-${num}`,
      fields: {
        summary: input.summary,
        status: statusJson(base(), status),
        issuetype: issueTypeJson(base(), input.issueType ?? 'Task'),
        project: projectJson(
          base(),
          input.project,
          String(10_000 + Math.max(0, this.deps.projects.indexOf(input.project))),
        ),
        priority: priorityJson(base(), input.priority ?? 'Medium'),
        assignee: assignee ? userJson(base(), assignee) : null,
        reporter: userJson(base(), reporter),
        creator: userJson(base(), actor),
        labels: input.labels ?? [],
        components: [],
        fixVersions: [],
        resolution: STATUSES[status]?.category === 'done' ? resolutionJson(base(), 'Done') : null,
        created: this.time(ms),
        updated: this.time(ms),
        duedate: input.duedate ?? null,
        parent: input.parent ? this.parentJson(input.parent) : undefined,
        issuelinks: [],
        comment: {
          comments: [],
          self: `${base()}/rest/api/3/issue/${id}/comment`,
          maxResults: 0,
          total: 0,
          startAt: 0,
        },
        ...input.fields,
      },
      changelog: { startAt: 0, maxResults: 0, total: 0, histories: [] },
    };
    if (issue.fields.parent === undefined) delete issue.fields.parent;
    store.insert({ id, project: input.project, num, updatedMs: ms, wire: issue, generated: null });
    await this.deps.emit({
      webhookEvent: 'jira:issue_created',
      issueEventTypeName: 'issue_created',
      issue,
      user: userJson(base(), actor),
    });
    return issue;
  }

  async update(row: Row, fields: Record<string, unknown>, actorId?: string): Promise<WireIssue> {
    const actor = this.user(actorId);
    const issue = this.deps.store.materialise(row, this.deps.base(), this.deps.timeZone());
    const items: WireChangeItem[] = [];
    for (const [name, given] of Object.entries(fields)) {
      const before = issue.fields[name];
      const after = this.wireValue(name, given);
      issue.fields[name] = after;
      items.push(changeItem(name, idOf(before), textOf(before), idOf(after), textOf(after)));
    }
    const changelog = this.record(row, issue, actor, items);
    await this.deps.emit({
      webhookEvent: 'jira:issue_updated',
      issueEventTypeName: 'issue_updated',
      issue,
      user: userJson(this.deps.base(), actor),
      changelog,
    });
    return issue;
  }

  async transition(row: Row, status: string, actorId?: string): Promise<WireIssue> {
    const actor = this.user(actorId);
    const base = this.deps.base();
    const issue = this.deps.store.materialise(row, base, this.deps.timeZone());
    const from = issue.fields.status;
    issue.fields.status = statusJson(base, status);
    const items = [
      changeItem('status', from?.id ?? null, from?.name ?? null, issue.fields.status.id, status),
    ];
    const done = STATUSES[status]?.category === 'done';
    const resolution = done ? (status === 'Rejected' ? "Won't Do" : 'Done') : null;
    if ((issue.fields.resolution?.name ?? null) !== resolution) {
      const old = issue.fields.resolution;
      issue.fields.resolution = resolution ? resolutionJson(base, resolution) : null;
      items.push(
        changeItem(
          'resolution',
          old?.id ?? null,
          old?.name ?? null,
          issue.fields.resolution?.id ?? null,
          resolution,
        ),
      );
    }
    const changelog = this.record(row, issue, actor, items);
    await this.deps.emit({
      webhookEvent: 'jira:issue_updated',
      issueEventTypeName: 'issue_generic',
      issue,
      user: userJson(base, actor),
      changelog,
    });
    return issue;
  }

  async assign(row: Row, accountId: string | null, actorId?: string): Promise<WireIssue> {
    const actor = this.user(actorId);
    const base = this.deps.base();
    const issue = this.deps.store.materialise(row, base, this.deps.timeZone());
    const before = issue.fields.assignee;
    const after = accountId ? this.user(accountId) : null;
    issue.fields.assignee = after ? userJson(base, after) : null;
    const items = [
      changeItem(
        'assignee',
        before?.accountId ?? null,
        before?.displayName ?? null,
        after?.accountId ?? null,
        after?.displayName ?? null,
      ),
    ];
    const changelog = this.record(row, issue, actor, items);
    await this.deps.emit({
      webhookEvent: 'jira:issue_updated',
      issueEventTypeName: 'issue_assigned',
      issue,
      user: userJson(base, actor),
      changelog,
    });
    return issue;
  }

  /** Jira sends both `jira:issue_updated` (issue_commented) and `comment_created` for a new comment. */
  async comment(
    row: Row,
    body: string | Record<string, unknown>,
    actorId?: string,
  ): Promise<Record<string, unknown>> {
    const actor = this.user(actorId);
    const base = this.deps.base();
    const issue = this.deps.store.materialise(row, base, this.deps.timeZone());
    const ms = Math.max(this.deps.now().getTime(), row.updatedMs);
    const id = String(this.commentId++);
    const author = userJson(base, actor);
    const comment = {
      self: `${base}/rest/api/3/issue/${row.id}/comment/${id}`,
      id,
      author,
      body: typeof body === 'string' ? adfText(body) : body,
      updateAuthor: author,
      created: this.time(ms),
      updated: this.time(ms),
      jsdPublic: true,
    };
    issue.fields.comment ??= { comments: [], maxResults: 0, total: 0, startAt: 0 };
    issue.fields.comment.comments.push(comment);
    issue.fields.comment.total = issue.fields.comment.maxResults = issue.fields.comment.comments.length;
    this.record(row, issue, actor, []);
    await this.deps.emit({
      webhookEvent: 'jira:issue_updated',
      issueEventTypeName: 'issue_commented',
      issue,
      user: author,
      comment,
    });
    await this.deps.emit({ webhookEvent: 'comment_created', issue, user: author, comment });
    return comment;
  }

  async remove(row: Row, actorId?: string): Promise<void> {
    const actor = this.user(actorId);
    const issue = this.deps.store.wire(row, this.deps.base(), this.deps.timeZone());
    this.deps.store.remove(row);
    await this.deps.emit({
      webhookEvent: 'jira:issue_deleted',
      issueEventTypeName: 'issue_deleted',
      issue,
      user: userJson(this.deps.base(), actor),
    });
  }

  private parentJson(key: string): Record<string, unknown> {
    const row = this.deps.store.find(key);
    if (!row) throw new Error(`no parent ${key} in the simulator`);
    const parent = this.deps.store.wire(row, this.deps.base(), this.deps.timeZone());
    const { summary, status, priority, issuetype } = parent.fields;
    return {
      id: parent.id,
      key: parent.key,
      self: parent.self,
      fields: { summary, status, priority, issuetype },
    };
  }

  /** Conveniences: names for priority and issue type, `{ accountId }` for user fields. */
  private wireValue(name: string, value: unknown): unknown {
    const base = this.deps.base();
    if (name === 'priority' && typeof value === 'string') return priorityJson(base, value);
    if (name === 'issuetype' && typeof value === 'string') return issueTypeJson(base, value);
    if (value && typeof value === 'object' && 'accountId' in value && Object.keys(value).length === 1) {
      return userJson(base, this.user(String((value as { accountId: string }).accountId)));
    }
    return value;
  }
}

function idOf(value: WireValue): string | null {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return null;
  return value.accountId ?? value.id ?? null;
}

function textOf(value: WireValue): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => textOf(v) ?? '').join(' ') || null;
  if (typeof value === 'object') return value.displayName ?? value.name ?? value.value ?? null;
  return String(value);
}
