import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { driveHealthNotes } from './health.js';
import { file, folder } from './sim-wire.js';
import { type DriveSimulator, startDriveSimulator } from './simulator.js';
import { pullAll, type TestContext, testContext } from './test-support.js';

const priya = { email: 'priya@example.com', name: 'Priya Natarajan' };
const bob = { email: 'bob@example.com', name: 'Bob Okafor' };
const carol = { email: 'carol@example.com', name: 'Carol Diaz' };
const dave = { email: 'dave@example.com', name: 'Dave Lin' };

let sim: DriveSimulator;
let ctx: TestContext;
let cursor: Json;

beforeEach(async () => {
  sim = await startDriveSimulator({
    seed: {
      files: [
        folder('plan', 'Checkout launch'),
        folder('specs', 'Specs', 'plan'),
        folder('other', 'Someone else'),
        file({ id: 'spec', name: 'CHK-7 Launch spec', parent: 'specs', owner: priya }),
        file({ id: 'memo', name: 'Team memo', parent: 'other', owner: priya }),
      ],
    },
    scope: ['plan'],
  });
  ctx = testContext(sim.connectionSettings(), ['spec']);
  cursor = (await pullAll(ctx, null)).cursor;
});
afterEach(async () => {
  await sim.stop();
});

/** Pull what changed since the last pull and return the record of one file. */
async function pullRecord(id: string): Promise<SourceRecord | undefined> {
  const next = await pullAll(ctx, cursor);
  cursor = next.cursor;
  return next.records.find((r) => r.externalId === id);
}
const kinds = (r: SourceRecord | undefined) => r?.activity.map((a) => [a.kind, a.actor?.id, a.target?.id]);

describe('Drive comment handoffs (simulator)', () => {
  it('opens a comment_assigned handoff for the assignee and closes it when the assignee resolves the comment', async () => {
    const comment = sim.addComment('spec', {
      author: priya,
      content: '+bob@example.com confirm limits?',
      assignee: bob.email,
    });
    const opened = await pullRecord('spec');
    expect(kinds(opened)).toEqual([
      ['commented', priya.email, undefined],
      ['comment_assigned', priya.email, bob.email],
    ]);

    sim.resolveComment('spec', comment.id!, bob);
    const closed = await pullRecord('spec');

    expect(kinds(closed)).toContainEqual(['comment_resolved', bob.email, bob.email]);
    expect(Date.parse(closed!.updatedAt)).toBeGreaterThan(Date.parse(opened!.updatedAt));
  });

  it('shows the assignee answering as replied, with the author found through the file permissions', async () => {
    const comment = sim.addComment('spec', {
      author: priya,
      content: '+bob@example.com numbers?',
      assignee: bob.email,
    });
    await pullRecord('spec');
    sim.share('spec', bob, 'commenter');

    sim.reply('spec', comment.id!, { author: { name: bob.name }, content: 'Done, see section 4' });
    const record = await pullRecord('spec');

    expect(kinds(record)).toContainEqual(['replied', bob.email, undefined]);
  });

  it('turns each person a comment mentions into a mentioned handoff', async () => {
    sim.addComment('spec', {
      author: priya,
      content: '+carol@example.com +dave@example.com thoughts?',
      mentions: [carol.email, dave.email],
    });
    const record = await pullRecord('spec');
    expect(kinds(record)).toEqual([
      ['commented', priya.email, undefined],
      ['mentioned', priya.email, carol.email],
      ['mentioned', priya.email, dave.email],
    ]);
  });
});

describe('Drive approvals (simulator)', () => {
  it('follows an approval from pending to approved and declined, with the due date on the file', async () => {
    const approval = sim.startApproval('spec', {
      initiator: priya,
      reviewers: [carol, dave],
      dueTime: '2030-01-10T17:00:00Z',
    });
    const pending = await pullRecord('spec');
    expect(kinds(pending)).toEqual([
      ['approval_requested', priya.email, carol.email],
      ['approval_requested', priya.email, dave.email],
    ]);
    expect(pending).toMatchObject({
      dueAt: '2030-01-10T17:00:00Z',
      fields: { approvalStatus: 'in_progress' },
    });
    expect(pending!.reviewers.map((r) => r.id)).toEqual([carol.email, dave.email]);

    sim.respondToApproval('spec', approval.approvalId!, carol.email, 'APPROVED');
    const halfway = await pullRecord('spec');
    expect(halfway!.activity.find((a) => a.kind === 'decided')).toMatchObject({
      actor: { id: carol.email },
      detail: { decision: 'approved' },
    });

    sim.respondToApproval('spec', approval.approvalId!, dave.email, 'DECLINED');
    const declined = await pullRecord('spec');
    expect(
      declined!.activity.filter((a) => a.kind === 'decided').map((a) => [a.actor?.id, a.detail?.decision]),
    ).toEqual([
      [carol.email, 'approved'],
      [dave.email, 'rejected'],
    ]);
    expect(declined).toMatchObject({ fields: { approvalStatus: 'declined' }, reviewers: [] });
    expect(declined!.dueAt).toBeUndefined();
    expect(Date.parse(declined!.updatedAt)).toBeGreaterThan(Date.parse(halfway!.updatedAt));
  });

  it('carries on without approvals when Drive refuses them, and says so in the cursor and the health notes', async () => {
    sim.setApprovalsAvailable(false);
    sim.modifyFile('spec');

    const record = await pullRecord('spec');

    expect(record).toBeDefined();
    expect(cursor).toMatchObject({ approvalsUnavailable: true });
    expect(driveHealthNotes(cursor).join(' ')).toMatch(/approvals are unavailable/i);
    expect(ctx.warnings).toHaveLength(1);

    sim.modifyFile('spec');
    const before = sim.requests.length;
    await pullRecord('spec');
    const askedAgain = sim.requests.slice(before).some((r) => r.path.endsWith('/approvals'));
    expect(askedAgain).toBe(false);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('asks for approvals again a day after they were refused, and clears the note when they answer', async () => {
    sim.setApprovalsAvailable(false);
    sim.modifyFile('spec');
    await pullRecord('spec');
    expect(cursor).toMatchObject({ approvalsUnavailable: true });

    sim.setApprovalsAvailable(true);
    ctx.setNow(new Date(Date.now() + 25 * 3_600_000));
    sim.modifyFile('spec');
    await pullRecord('spec');

    expect(cursor).not.toHaveProperty('approvalsUnavailable');
    expect(driveHealthNotes(cursor)).toEqual([]);
  });
});

describe('Drive scope and lifecycle (simulator)', () => {
  it('ignores changes to files outside the scoped folders', async () => {
    sim.modifyFile('memo');
    const next = await pullAll(ctx, cursor);
    expect(next.records).toEqual([]);
  });

  it('brings in a file moved into the scope and tombstones it when it moves out again', async () => {
    sim.moveFile('memo', 'specs');
    const arrived = await pullRecord('memo');
    expect(arrived).toMatchObject({
      deleted: false,
      container: 'plan',
      fields: { folderPath: 'Checkout launch/Specs' },
    });

    sim.moveFile('memo', 'other');
    const left = await pullRecord('memo');
    expect(left).toMatchObject({ deleted: true, fields: { tombstone: true } });
  });

  it('marks a trashed file deleted and brings it back when restored', async () => {
    sim.trashFile('spec');
    expect(await pullRecord('spec')).toMatchObject({ deleted: true, state: { raw: 'trashed' } });
    sim.untrashFile('spec');
    expect(await pullRecord('spec')).toMatchObject({ deleted: false, state: { raw: 'active' } });
  });

  it('retries a 403 rateLimitExceeded from the simulator through the pacer', async () => {
    sim.modifyFile('spec');
    sim.setFault({ kind: 'rateLimit', reason: 'rateLimitExceeded', times: 1, path: '/changes' });
    const record = await pullRecord('spec');
    expect(record).toBeDefined();
    expect(ctx.sleeps).toHaveLength(1);
  });
});

describe('Drive scope settings that change between pulls (simulator)', () => {
  const withFolders = (folders: string[], known: Iterable<string>) =>
    testContext({ ...sim.connectionSettings(), folders }, known);

  it('lists a folder added to the settings, and still reads what changed in the old ones meanwhile', async () => {
    sim.modifyFile('spec', { name: 'CHK-7 Launch spec v2' });
    const wider = withFolders(['plan', 'other'], ctx.known);

    const next = await pullAll(wider, cursor);

    expect(next.records.map((r) => r.externalId).sort()).toEqual(['memo', 'spec']);
    expect(next.records.find((r) => r.externalId === 'memo')).toMatchObject({ container: 'other' });
    expect(next.cursor).toMatchObject({
      phase: 'changes',
      roots: { plan: 'Checkout launch', other: 'Someone else' },
    });
  });

  it('tombstones the files below a folder taken out of the settings', async () => {
    const wider = withFolders(['plan', 'other'], ctx.known);
    const widened = await pullAll(wider, cursor);

    const narrower = withFolders(['plan'], wider.known);
    const next = await pullAll(narrower, widened.cursor);

    expect(next.records.map((r) => [r.externalId, r.deleted])).toEqual([['memo', true]]);
    expect(next.cursor).not.toHaveProperty('roots.other');
  });

  it('keeps the files of a dropped folder that still lies inside another scoped folder', async () => {
    const both = withFolders(['plan', 'specs'], []);
    const first = await pullAll(both, null);
    expect(first.records.map((r) => r.externalId)).toEqual(['spec']);

    const next = await pullAll(withFolders(['plan'], both.known), first.cursor);

    expect(next.records).toEqual([]);
    expect(next.cursor).toMatchObject({ folders: { specs: ['plan', 'Specs'] } });
  });
});
