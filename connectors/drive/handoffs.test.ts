import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '../../src/connectors/kit/index.js';
import { deriveHandoffs } from '../../src/domain/derive-handoffs.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import { testPlan } from '../../test/support/plan-fixture.js';
import { file, folder } from './sim-wire.js';
import { type DriveSimulator, startDriveSimulator } from './simulator.js';
import { pullAll, type TestContext, testContext } from './test-support.js';

/**
 * Drive records through Baton's own handoff derivation: the activity this connector emits opens
 * and closes the handoffs and approvals the plan expects.
 */
const priya = { email: 'priya@example.com', name: 'Priya Natarajan' };
const bob = { email: 'bob@example.com', name: 'Bob Okafor' };
const carol = { email: 'carol@example.com', name: 'Carol Diaz' };
const plan = testPlan({
  people: [
    { key: 'priya', name: priya.name, email: priya.email, identities: {} },
    { key: 'bob', name: bob.name, email: bob.email, identities: {} },
    { key: 'carol', name: carol.name, email: carol.email, identities: {} },
  ],
  approvalRules: [{ on: ['approval_requested'] }],
});

let sim: DriveSimulator;
let ctx: TestContext;
let cursor: Json;

beforeEach(async () => {
  sim = await startDriveSimulator({
    seed: {
      files: [folder('plan', 'Plan'), file({ id: 'spec', name: 'Spec', parent: 'plan', owner: priya })],
    },
  });
  ctx = testContext(sim.connectionSettings());
  cursor = (await pullAll(ctx, null)).cursor;
});
afterEach(async () => {
  await sim.stop();
});

async function latest(): Promise<SourceRecord> {
  const next = await pullAll(ctx, cursor);
  cursor = next.cursor;
  return next.records.find((r) => r.externalId === 'spec')!;
}
const derive = (record: SourceRecord) => deriveHandoffs(plan, 'docs', record);

describe('Drive activity → Baton handoffs', () => {
  it('an assigned comment waits on the assignee until they resolve it', async () => {
    const comment = sim.addComment('spec', {
      author: priya,
      content: '+bob@example.com limits?',
      assignee: bob.email,
    });
    const opened = derive(await latest());
    expect(opened.handoffs).toMatchObject([
      { kind: 'comment', from: { person: 'priya' }, to: { person: 'bob' }, closedAt: null },
    ]);

    sim.resolveComment('spec', comment.id!, bob);
    const closed = derive(await latest());
    expect(closed.handoffs[0]).toMatchObject({ to: { person: 'bob' }, closeReason: 'resolved' });
  });

  it('an assigned comment is picked up when the assignee replies', async () => {
    const comment = sim.addComment('spec', {
      author: priya,
      content: '+bob@example.com limits?',
      assignee: bob.email,
    });
    await latest();
    sim.reply('spec', comment.id!, { author: bob, content: 'Limits confirmed' });
    const replied = derive(await latest());
    expect(replied.handoffs[0]).toMatchObject({ to: { person: 'bob' }, closeReason: 'acted' });
  });

  it('a Drive approval is pending on the reviewer until they approve', async () => {
    const approval = sim.startApproval('spec', { initiator: priya, reviewers: [carol] });
    const pending = derive(await latest());
    expect(pending.approvals).toMatchObject([
      { requester: { person: 'priya' }, approver: { person: 'carol' }, status: 'pending' },
    ]);
    expect(pending.handoffs).toMatchObject([{ kind: 'approval', to: { person: 'carol' }, closedAt: null }]);

    sim.respondToApproval('spec', approval.approvalId!, carol.email, 'APPROVED');
    const decided = derive(await latest());
    expect(decided.approvals[0]).toMatchObject({ status: 'approved' });
    expect(decided.handoffs[0]).toMatchObject({ closeReason: 'decided' });
  });

  it('a declined Drive approval is rejected', async () => {
    const approval = sim.startApproval('spec', { initiator: priya, reviewers: [carol] });
    await latest();
    sim.respondToApproval('spec', approval.approvalId!, carol.email, 'DECLINED');
    expect(derive(await latest()).approvals[0]).toMatchObject({ status: 'rejected' });
  });
});
