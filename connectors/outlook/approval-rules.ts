import type { OutlookConfig } from './config.js';
import type { DeltaMessage } from './wire.js';

/** Pure rules: which message asks for a decision, and which reply gives one. */

export type Decision = 'approved' | 'rejected' | 'changes_requested';
type ApprovalSettings = OutlookConfig['approval'];

const REPLY_PREFIX = /^\s*(re|aw|sv|antw|vs|fw|fwd|wg|tr|rv|doorst)\s*(\[\d+\])?\s*:\s*/i;

/** True when the subject says the message answers or forwards another one. */
export function hasReplyPrefix(subject: string | null | undefined): boolean {
  return REPLY_PREFIX.test(subject ?? '');
}

/** The subject without RE:/FW: prefixes (in the common languages) and without the approval tag. */
export function approvalTitle(subject: string | null | undefined, tag: string): string {
  let title = subject ?? '';
  while (REPLY_PREFIX.test(title)) title = title.replace(REPLY_PREFIX, '');
  const at = title.toLowerCase().indexOf(tag.toLowerCase());
  if (at >= 0) title = title.slice(0, at) + title.slice(at + tag.length);
  return title.replace(/\s+/g, ' ').trim() || '(no subject)';
}

/**
 * Whether a message opens its conversation. `conversationIndex` is 22 bytes for the first message
 * and grows by 5 bytes per reply or forward ([MS-OXOMSG] PidTagConversationIndex); without it the
 * subject prefix decides.
 */
export function isConversationRoot(message: Pick<DeltaMessage, 'conversationIndex' | 'subject'>): boolean {
  const index = message.conversationIndex;
  if (index) {
    const length = Buffer.from(index, 'base64').length;
    if (length >= 22) return length === 22;
  }
  return !hasReplyPrefix(message.subject);
}

export function matchesApprovalRule(
  message: Pick<DeltaMessage, 'subject' | 'categories'>,
  approval: ApprovalSettings,
): boolean {
  const subject = (message.subject ?? '').toLowerCase();
  if (subject.includes(approval.subjectTag.toLowerCase())) return true;
  const wanted = new Set(approval.categories.map((c) => c.toLowerCase()));
  if ((message.categories ?? []).some((c) => wanted.has(c.toLowerCase()))) return true;
  return approval.keyPattern !== undefined && new RegExp(approval.keyPattern).test(message.subject ?? '');
}

/**
 * A decision from the reply's first line, or from a category named like a decision phrase.
 * A phrase counts when it starts the line and is followed by the end of the line or punctuation
 * ("Approved." "LGTM!" "No, not yet"); phrases longer than three letters may also be followed by a
 * space ("Approved go ahead"), so "No problem" is not read as a rejection.
 */
export function recognizeDecision(
  firstLine: string | undefined,
  categories: readonly string[],
  words: ApprovalSettings['decisionWords'],
): Decision | undefined {
  const byPhrase = (Object.entries(words) as [Decision, string[]][])
    .flatMap(([decision, list]) => list.map((phrase) => ({ decision, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const line = (firstLine ?? '').trim().toLowerCase();
  for (const { decision, phrase } of byPhrase) {
    if (startsWithPhrase(line, phrase)) return decision;
  }
  const named = new Set(categories.map((c) => c.trim().toLowerCase()));
  return byPhrase.find(({ phrase }) => named.has(phrase))?.decision;
}

function startsWithPhrase(line: string, phrase: string): boolean {
  if (!line.startsWith(phrase)) return false;
  const next = line.charAt(phrase.length);
  if (next === '') return true;
  if (/[.,!;:)\-–—]/.test(next)) return true;
  return /\s/.test(next) && phrase.replace(/\s/g, '').length > 3;
}

/**
 * The conversation's raw state from each approver's latest decision: any rejection rejects, any
 * open change request wins over approvals, and it is approved once every approver approved.
 */
export function approvalState(
  decisions: Record<string, Decision>,
  approvers: readonly string[],
): { raw: Decision | 'pending'; category: 'in_progress' | 'done' | 'cancelled' } {
  const given = Object.values(decisions);
  if (given.includes('rejected')) return { raw: 'rejected', category: 'cancelled' };
  if (given.includes('changes_requested')) return { raw: 'changes_requested', category: 'in_progress' };
  if (approvers.length > 0 && approvers.every((a) => decisions[a] === 'approved')) {
    return { raw: 'approved', category: 'done' };
  }
  return { raw: 'pending', category: 'in_progress' };
}

const KEY = /\b[A-Z][A-Z0-9]+-\d+\b/g;

/** Jira-style keys named in the given texts, first mention first. */
export function itemKeys(...texts: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) for (const match of (text ?? '').matchAll(KEY)) keys.add(match[0]);
  return [...keys];
}
