import {
  type AlertMessage,
  ConnectorHttpError,
  describeHttpError,
  type NotifyResult,
  type NotifyTarget,
} from '../../src/connectors/kit/index.js';
import { BATON_ALERT_MARKER } from './activity.js';
import type { GitHubContext } from './client.js';
import { createGitHubApi } from './github-api.js';
import { parseItemId } from './normalize.js';

/**
 * Puts the alert where the team already looks: a comment on the issue or pull request (the
 * issues comments endpoint serves both), addressed to the person's GitHub login when Baton
 * knows it. The hidden marker keeps the comment out of the item's activity when it comes back.
 */
export async function notifyGitHub(
  ctx: GitHubContext,
  target: NotifyTarget,
  message: AlertMessage,
): Promise<NotifyResult> {
  const where = parseItemId(target.externalId);
  if (!where) {
    return {
      ok: false,
      code: 'bad_target',
      message: `${target.externalId} is not a GitHub item id`,
      retry: false,
    };
  }
  const login = target.person.identities.find((i) => i.tool === 'github')?.id;
  try {
    const comment = await createGitHubApi(ctx).createComment(
      `${where.owner}/${where.name}`,
      where.number,
      alertBody(message, login ? `@${login}` : target.person.name),
    );
    return { ok: true, ref: comment.html_url };
  } catch (error) {
    return failure(error);
  }
}

export function alertBody(message: AlertMessage, addressee: string): string {
  return [
    `${addressee}: **${message.subject}**`,
    '',
    message.text,
    '',
    `[Open in Baton](${message.statusUrl})`,
    BATON_ALERT_MARKER,
  ].join('\n');
}

/** Worth retrying later: rate limits and outages. Not: refused, missing, malformed. */
function failure(error: unknown): NotifyResult {
  if (error instanceof ConnectorHttpError) {
    const retry = error.code === 'rate_limited' || error.code === 'unavailable';
    return { ok: false, code: error.code, message: error.message, retry };
  }
  const status = describeHttpError(error)?.status;
  const retry = status === undefined || status === 429 || status >= 500;
  return { ok: false, code: 'comment_failed', message: (error as Error).message ?? String(error), retry };
}
