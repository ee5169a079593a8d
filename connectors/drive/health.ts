import type { Json } from '../../src/connectors/kit/index.js';
import { DriveCursor } from './cursor.js';

/**
 * What a Drive connection's health page should say beyond "last pull ok": today, whether Drive
 * approvals could be read. The runtime calls this with the connection's stored cursor.
 */
export function driveHealthNotes(cursor: Json): string[] {
  const parsed = DriveCursor.safeParse(cursor);
  if (!parsed.success) return [];
  const notes: string[] = [];
  const c = parsed.data;
  if (c.approvalsUnavailable) {
    notes.push(
      `Drive approvals are unavailable for this account (${c.approvalsReason ?? 'approvals.list refused'}; ` +
        `checked ${c.approvalsCheckedAt ?? 'recently'}): approvals started in Drive are not tracked, ` +
        'comments and files still are. Baton asks again after 24 hours.',
    );
  }
  if (c.phase === 'listing') notes.push(`First sync in progress: ${c.queue.length} folder(s) left to list.`);
  return notes;
}
