import type {
  AlertMessage,
  ConnectorContext,
  NotifyResult,
  NotifyTarget,
} from '../../src/connectors/kit/index.js';
import { ConnectorHttpError } from '../../src/connectors/kit/index.js';
import { BATON_ALERT_MARKER } from './alert-marker.js';
import { driveClientFor } from './client.js';
import type { DriveConfig } from './config.js';
import { driveCall } from './drive-call.js';

/**
 * An alert becomes a comment on the file, where its people already discuss it. `+email` in the
 * text is how Docs editors mention someone, which also notifies them.
 */
export async function notifyDrive(
  ctx: ConnectorContext<DriveConfig>,
  target: NotifyTarget,
  message: AlertMessage,
): Promise<NotifyResult> {
  if (!ctx.config.commentAlerts) {
    return {
      ok: false,
      code: 'alerts_off',
      message: 'commentAlerts is off for this connection',
      retry: false,
    };
  }
  const drive = driveClientFor(ctx.config);
  try {
    const comment = await driveCall(ctx, () =>
      drive.comments.create({
        fileId: target.externalId,
        // comments.create, like every comments method, refuses a request without `fields`.
        fields: 'id,createdTime',
        requestBody: { content: commentText(target, message) },
      }),
    );
    return { ok: true, ref: comment.id ?? undefined };
  } catch (error) {
    if (error instanceof ConnectorHttpError) {
      const retry = error.code === 'rate_limited' || error.code === 'unavailable';
      return { ok: false, code: error.code, message: error.message, retry };
    }
    return { ok: false, code: 'failed', message: (error as Error).message, retry: false };
  }
}

export function commentText(target: NotifyTarget, message: AlertMessage): string {
  const email = addressOf(target.person);
  const greeting = email ? `+${email}` : target.person.name;
  return `${greeting} ${message.subject}\n\n${message.text}\n\n${message.statusUrl}\n${BATON_ALERT_MARKER}`;
}

function addressOf(person: NotifyTarget['person']): string | undefined {
  if (person.email) return person.email;
  return person.identities.find((i) => i.tool === 'drive' && i.id.includes('@'))?.id;
}
