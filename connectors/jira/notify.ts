import {
  type AlertMessage,
  type ConnectorContext,
  ConnectorHttpError,
  type NotifyResult,
  type NotifyTarget,
} from '../../src/connectors/kit/index.js';
import { alertDocument } from './adf.js';
import { createJiraClient, jiraCall } from './client.js';
import type { JiraConfig } from './config.js';

/**
 * Puts an alert where the team already looks: a comment on the issue that mentions the person
 * (Jira then notifies them) and links to Baton's status page. Needs write:jira-work.
 */
export async function notifyJira(
  ctx: ConnectorContext<JiraConfig>,
  target: NotifyTarget,
  message: AlertMessage,
): Promise<NotifyResult> {
  const client = createJiraClient(ctx.config, ctx.log);
  const accountId = target.person.identities.find((identity) => identity.tool === 'jira')?.id;
  const body = alertDocument({
    accountId,
    name: target.person.name,
    text: message.text,
    statusUrl: message.statusUrl,
  });
  try {
    const comment = await jiraCall(ctx, () =>
      client.cloud.issueComments.addComment({ issueIdOrKey: target.externalId, body }),
    );
    return comment.id ? { ok: true, ref: comment.id } : { ok: true };
  } catch (error) {
    if (error instanceof ConnectorHttpError) {
      return {
        ok: false,
        code: error.code,
        message: error.message,
        retry: error.code === 'rate_limited' || error.code === 'unavailable',
      };
    }
    throw error;
  }
}
