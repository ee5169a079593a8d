import { readFileSync } from 'node:fs';
import type { drive_v3 } from '@googleapis/drive';
import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../../src/domain/source-record.js';
import { normalizeFile } from './normalize.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

const file = fixture<drive_v3.Schema$File>('file-launch-spec.json');
const comments = fixture<drive_v3.Schema$CommentList>('comments-launch-spec.json').comments ?? [];
const approvals = fixture<drive_v3.Schema$ApprovalList>('approvals-launch-spec.json').items ?? [];
const placement = {
  root: '1FolderLaunchRootAsDfGh',
  folderId: '1FolderSpecsQwErTyUiOp',
  folderName: 'Specs',
  folderPath: 'Checkout launch/Specs',
};

const record = normalizeFile({ file, placement, comments, approvals });
const find = (id: string) => record.activity.find((a) => a.id === id);

describe('normalizeFile (Drive file, comments and approvals → SourceRecord)', () => {
  it('matches the recorded snapshot for the launch spec fixture', async () => {
    await expect(`${JSON.stringify(record, null, 2)}\n`).toMatchFileSnapshot(
      './fixtures/records/launch-spec.json',
    );
  });

  it('produces a valid SourceRecord', () => {
    expect(() => SourceRecord.parse(record)).not.toThrow();
  });

  it('describes the file: link, owner as a lower-case email identity, scope root and folder', () => {
    expect(record).toMatchObject({
      source: 'drive',
      externalId: file.id,
      kind: 'file',
      url: file.webViewLink,
      title: file.name,
      state: { raw: 'active', category: 'in_progress' },
      author: { tool: 'drive', id: 'priya.natarajan@example.com', email: 'Priya.Natarajan@example.com' },
      container: placement.root,
      references: ['CHK-142', 'PAY-7'],
      createdAt: '2024-05-02T09:12:44.108Z',
    });
    expect(record.fields).toMatchObject({
      mimeType: 'application/vnd.google-apps.document',
      folderId: placement.folderId,
      folderName: 'Specs',
      folderPath: 'Checkout launch/Specs',
      modifiedBy: 'marco.rossi@example.com',
      version: '57',
      approvalStatus: 'in_progress',
    });
  });

  it('moves updatedAt to the newest of file, comment and approval changes', () => {
    expect(record.updatedAt).toBe('2024-05-07T09:30:21.870Z');
  });

  it('takes dueAt and the waiting reviewers from the approval in progress', () => {
    expect(record.dueAt).toBe('2024-05-10T17:00:00Z');
    expect(record.reviewers.map((r) => r.id)).toEqual(['sam.ito@example.com']);
  });

  it.each([
    [
      'comment:AAAA3kq1Q-E:assigned',
      'comment_assigned',
      'priya.natarajan@example.com',
      'lena.weber@example.com',
      '2024-05-03T10:02:11.421Z',
    ],
    [
      'comment:AAAA3kq1Q-I:mention:tom.baker@example.com',
      'mentioned',
      'marco.rossi@example.com',
      'tom.baker@example.com',
      '2024-05-03T11:30:00.000Z',
    ],
    [
      'reply:AAAA3kq1Q-M:assigned',
      'comment_assigned',
      'Tom Baker',
      'sam.ito@example.com',
      '2024-05-04T09:00:10.000Z',
    ],
    ['reply:AAAA3kq1Q-M', 'replied', 'Tom Baker', undefined, '2024-05-04T09:00:10.000Z'],
    [
      'reply:AAAA3kq1Q-Q:resolved',
      'comment_resolved',
      'sam.ito@example.com',
      'sam.ito@example.com',
      '2024-05-06T08:15:42.003Z',
    ],
    ['comment:AAAA3kq1Q-U:deleted', 'comment_resolved', undefined, undefined, '2024-05-05T14:25:00.000Z'],
    [
      'approval:yPjW6zqKbQxA:requested:dana.cho@example.com',
      'approval_requested',
      'priya.natarajan@example.com',
      'dana.cho@example.com',
      '2024-05-03T08:00:00.000Z',
    ],
    [
      'approval:yPjW6zqKbQxA:decided:dana.cho@example.com',
      'decided',
      'dana.cho@example.com',
      undefined,
      '2024-05-03T17:45:10.250Z',
    ],
    [
      'approval:yPjW6zqKbQxA:withdrawn:sam.ito@example.com',
      'review_request_removed',
      'priya.natarajan@example.com',
      'sam.ito@example.com',
      '2024-05-03T17:45:10.250Z',
    ],
    [
      'approval:q8RtN2vLmZcE:decided:dana.cho@example.com',
      'decided',
      'dana.cho@example.com',
      undefined,
      '2024-05-07T09:30:21.870Z',
    ],
  ])('%s is %s by %s for %s at %s', (id, kind, actor, target, at) => {
    const activity = find(id);
    expect(activity).toMatchObject({ kind, at });
    expect(activity?.actor?.id).toBe(actor);
    expect(activity?.target?.id).toBe(target);
  });

  it('gives decisions in Baton terms: APPROVED → approved, DECLINED → rejected', () => {
    expect(find('approval:yPjW6zqKbQxA:decided:dana.cho@example.com')?.detail?.decision).toBe('rejected');
    expect(find('approval:q8RtN2vLmZcE:decided:dana.cho@example.com')?.detail?.decision).toBe('approved');
  });

  it('does not mention the assignee a second time, nor open a handoff for a reply to nobody', () => {
    expect(find('comment:AAAA3kq1Q-E:mention:lena.weber@example.com')).toBeUndefined();
    expect(find('reply:AAAA3kq1Q-M:mention:sam.ito@example.com')).toBeUndefined();
    expect(find('reply:AAAA3kq1Q-M')?.target).toBeUndefined();
  });

  it('ties every comment activity to its thread', () => {
    const threadActivity = record.activity.filter((a) => !a.id.startsWith('approval:'));
    for (const a of threadActivity) expect(a.detail?.commentId).toMatch(/^AAAA3kq1Q-/);
  });

  it('keeps no document text in raw: quoted content and comment bodies stay in Drive', () => {
    const raw = JSON.stringify(record.raw);
    expect(raw).not.toContain('refund limits');
    expect(raw).not.toContain('quotedFileContent');
  });

  it('marks a trashed file deleted with state trashed, dated by its trashing', () => {
    const trashed = normalizeFile({
      file: { ...file, trashed: true, trashedTime: '2024-05-08T12:00:00.000Z' },
      placement,
      comments: [],
      approvals: [],
    });
    expect(trashed).toMatchObject({
      deleted: true,
      state: { raw: 'trashed', category: 'cancelled' },
      updatedAt: '2024-05-08T12:00:00.000Z',
    });
  });

  it('names the delegated subject for users Drive flags as me', () => {
    const mine = normalizeFile({
      file,
      placement,
      comments: [{ ...comments[0], author: { displayName: 'Baton Bot', me: true } }],
      approvals: [],
      me: 'baton@example.com',
    });
    expect(mine.activity[0].actor).toMatchObject({ id: 'baton@example.com', name: 'Baton Bot' });
  });
});

describe("Baton's own alert comments", () => {
  it('are not read back as anyone asking for anything', async () => {
    const { commentActivity } = await import('./comment-activity.js');
    const { BATON_ALERT_MARKER } = await import('./alert-marker.js');
    const people = {
      of: () => ({ tool: 'drive', id: 'baton@acme.example' }),
      byAddress: (a: string) => ({ tool: 'drive', id: a }),
    };
    const activity = commentActivity(
      [
        {
          id: 'c-alert',
          createdTime: '2026-11-20T10:00:00.000Z',
          content: `+lena@acme.example Stalled approval\n\n…\n${BATON_ALERT_MARKER}`,
          mentionedEmailAddresses: ['lena@acme.example'],
          author: { displayName: 'Baton' },
        },
      ],
      people as never,
    );
    expect(activity).toEqual([]);
  });
});
