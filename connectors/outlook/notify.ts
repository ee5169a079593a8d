import type { Message } from '@microsoft/microsoft-graph-types';
import {
  type AlertMessage,
  type ConnectorContext,
  ConnectorHttpError,
  type NotifyResult,
  type NotifyTarget,
} from '../../src/connectors/kit/index.js';
import { graphCall, graphClient, userPath } from './client.js';
import type { OutlookConfig } from './config.js';

/**
 * An alert is a plain-text email from the service mailbox to the person, with the status page
 * link, not kept in the service mailbox's Sent Items (`saveToSentItems: false`). Needs Mail.Send.
 */
export async function notifyOutlook(
  ctx: ConnectorContext<OutlookConfig>,
  target: NotifyTarget,
  message: AlertMessage,
): Promise<NotifyResult> {
  const sender = ctx.config.serviceMailbox;
  if (!sender) {
    return {
      ok: false,
      code: 'not_configured',
      message: 'serviceMailbox is not set for this connection',
      retry: false,
    };
  }
  const address = recipientAddress(target);
  if (!address) {
    return {
      ok: false,
      code: 'no_recipient',
      message: `${target.person.name} has no email address`,
      retry: false,
    };
  }
  const mail: Message = {
    subject: message.subject,
    body: { contentType: 'text', content: body(target, message) },
    toRecipients: [{ emailAddress: { address, name: target.person.name } }],
  };
  try {
    await ctx.http.run(() =>
      graphCall(() =>
        graphClient(ctx.config)
          .api(`/users/${userPath(sender)}/sendMail`)
          .post({ message: mail, saveToSentItems: false }),
      ),
    );
    return { ok: true };
  } catch (error) {
    if (error instanceof ConnectorHttpError) {
      const retry = error.code === 'rate_limited' || error.code === 'unavailable';
      return { ok: false, code: error.code, message: error.message, retry };
    }
    return {
      ok: false,
      code: 'send_failed',
      message: (error as Error).message ?? String(error),
      retry: true,
    };
  }
}

function recipientAddress(target: NotifyTarget): string | undefined {
  if (target.person.email) return target.person.email;
  return target.person.identities.find((i) => i.tool === 'outlook' && i.id.includes('@'))?.id;
}

function body(target: NotifyTarget, message: AlertMessage): string {
  const lines = [message.text.trim(), ''];
  if (target.url) lines.push(`Item: ${target.url}`);
  lines.push(`Status: ${message.statusUrl}`);
  return lines.join('\n');
}
