import { afterEach, describe, expect, it } from 'vitest';
import type { Json, StoredDelivery } from '../../src/connectors/kit/index.js';
import type { SourceRecord } from '../../src/domain/source-record.js';
import seed from './fixtures/simulator-seed.json' with { type: 'json' };
import { outlookConnector } from './index.js';
import { type GraphSimulator, type GraphSimulatorOptions, startOutlookSimulator } from './simulator.js';
import { pullAll, type Receiver, startReceiver, type TestContext, testContext } from './test-support.js';

/** End to end through the simulator: mail and meetings in, plan records out. */

const PM = 'pm@contoso.com';
const CFO = 'cfo@contoso.com';
const LEE = 'lee.gu@contoso.com';

let sim: GraphSimulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  await sim?.stop();
  receiver = undefined;
  sim = undefined;
});

async function world(watch: { user: string; folders?: string[]; calendars?: boolean }[]) {
  sim = await startOutlookSimulator({ seed: { mailboxes: [{ user: PM }, { user: CFO }, { user: LEE }] } });
  const ctx = testContext({ ...sim.connectionSettings(), mailboxes: watch });
  return { sim, ctx };
}

const activities = (records: SourceRecord[]) =>
  records.flatMap((r) => r.activity.map((a) => ({ ...a, item: r.externalId })));

/** What the runtime does with a delivery: verify, store, parse, and pull when parse says so. */
async function onDelivery(ctx: TestContext, delivery: StoredDelivery | undefined, cursor: Json) {
  if (!delivery) throw new Error('no delivery arrived');
  const parsed = await outlookConnector.webhook.parse(delivery, ctx);
  expect(parsed).toEqual({ kind: 'pull' });
  return pullAll(ctx, cursor);
}

describe('outlook approvals through the simulator', () => {
  it('records an approval request, then the approver’s reply as a decision, each pulled on its notification', async () => {
    const { sim, ctx } = await world([{ user: PM }]);
    receiver = await startReceiver(ctx);
    await outlookConnector.subscriptions!.ensure(ctx, null, receiver.url);
    const first = await pullAll(ctx, null);
    expect(first.records).toEqual([]);

    const thread = await sim.sendApprovalRequest({
      from: PM,
      to: [CFO],
      subject: 'Launch budget for CHK-42',
      body: 'Please approve the budget.',
    });
    const request = receiver.deliveries.at(-1)!;
    const verdict = outlookConnector.webhook.verify(request, ctx);
    if (!verdict.ok) throw new Error('refused');
    const afterRequest = await onDelivery(
      ctx,
      { ...verdict, headers: request.headers, body: request.rawBody, receivedAt: new Date() },
      first.cursor,
    );
    const item = `conv:${thread.conversationId}`;
    expect(afterRequest.records).toHaveLength(1);
    expect(afterRequest.records[0]).toMatchObject({
      externalId: item,
      kind: 'message',
      title: 'Launch budget for CHK-42',
      state: { raw: 'pending' },
      author: { id: PM, email: PM },
      assignees: [{ id: CFO, email: CFO }],
      references: ['CHK-42'],
    });
    expect(afterRequest.records[0].activity).toMatchObject([
      { kind: 'approval_requested', actor: { id: PM }, target: { id: CFO } },
    ]);

    await sim.reply({ conversationId: thread.conversationId, from: CFO, body: 'Approved — go ahead.' });
    const reply = receiver.deliveries.at(-1)!;
    const replyVerdict = outlookConnector.webhook.verify(reply, ctx);
    if (!replyVerdict.ok) throw new Error('refused');
    const afterReply = await onDelivery(
      ctx,
      { ...replyVerdict, headers: reply.headers, body: reply.rawBody, receivedAt: new Date() },
      afterRequest.cursor,
    );
    expect(afterReply.records).toHaveLength(1);
    const decided = afterReply.records[0];
    expect(decided).toMatchObject({ externalId: item, state: { raw: 'approved', category: 'done' } });
    expect(decided.activity).toMatchObject([
      { kind: 'decided', actor: { id: CFO }, target: { id: PM }, detail: { decision: 'approved' } },
    ]);
    expect(decided.updatedAt > afterRequest.records[0].updatedAt).toBe(true);
  });

  it('records a non-decision reply as replied, and the requester’s nudge as replied to the approver', async () => {
    const { sim, ctx } = await world([{ user: PM, calendars: false }]);
    const thread = await sim.sendApprovalRequest({
      from: PM,
      to: [CFO],
      subject: 'Vendor contract',
      body: 'Can you sign off?',
    });
    await sim.reply({ conversationId: thread.conversationId, from: CFO, body: 'Will read it tonight.' });
    await sim.reply({ conversationId: thread.conversationId, from: PM, body: 'Thanks! Any news?' });
    const { records } = await pullAll(ctx, null);
    expect(activities(records).map((a) => [a.kind, a.actor?.id, a.target?.id])).toEqual([
      ['approval_requested', PM, CFO],
      ['replied', PM, CFO],
      ['replied', CFO, PM],
    ]);
  });

  it('counts each message once when the requester’s and the approver’s mailboxes are both watched', async () => {
    const { sim, ctx } = await world([
      { user: PM, calendars: false },
      { user: CFO, calendars: false },
    ]);
    const thread = await sim.sendApprovalRequest({
      from: PM,
      to: [CFO],
      subject: 'Hiring plan',
      body: 'Please approve.',
    });
    await sim.reply({ conversationId: thread.conversationId, from: CFO, body: 'LGTM' });
    const { records } = await pullAll(ctx, null);
    const kinds = activities(records).map((a) => a.kind);
    expect(kinds).toEqual(['approval_requested', 'decided']);
    expect(new Set(records.map((r) => r.externalId))).toEqual(new Set([`conv:${thread.conversationId}`]));
  });

  it('holds a reply seen before its request and adds it when the request arrives', async () => {
    // In the approver's mailbox Sent Items (the reply) is read before the Inbox (the request).
    const { sim, ctx } = await world([{ user: CFO, calendars: false }]);
    const thread = await sim.sendApprovalRequest({
      from: PM,
      to: [CFO, LEE],
      subject: 'Release train',
      body: 'Please approve.',
    });
    await sim.reply({
      conversationId: thread.conversationId,
      from: CFO,
      body: 'Rejected: wait for the audit.',
    });
    const { pages, records } = await pullAll(ctx, null);
    expect(pages[0].records).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0].state.raw).toBe('rejected');
    expect(records[0].activity.map((a) => [a.kind, a.actor?.id, a.target?.id, a.detail?.decision])).toEqual([
      ['approval_requested', PM, CFO, undefined],
      ['approval_requested', PM, LEE, undefined],
      ['decided', CFO, PM, 'rejected'],
    ]);
  });

  it('tombstones the approval item when its request is deleted', async () => {
    const { sim, ctx } = await world([{ user: PM, calendars: false }]);
    const thread = await sim.sendApprovalRequest({
      from: PM,
      to: [CFO],
      subject: 'Pricing',
      body: 'Please approve.',
    });
    const first = await pullAll(ctx, null);
    await sim.deleteMessage(thread.copies[PM]);
    const next = await pullAll(ctx, first.cursor);
    expect(next.records).toMatchObject([{ externalId: `conv:${thread.conversationId}`, deleted: true }]);
  });

  it('turns a Go/No-Go meeting into a gate with each attendee’s response', async () => {
    const { sim, ctx } = await world([{ user: PM, folders: ['inbox'] }]);
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 + 2 * 86_400_000).toISOString();
    const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
    const meeting = await sim.createMeeting({
      organizer: PM,
      subject: 'Go/No-Go: checkout launch',
      start,
      end,
      attendees: [CFO, LEE],
    });
    await sim.createMeeting({ organizer: PM, subject: 'Team lunch', start, end, attendees: [LEE] });
    const first = await pullAll(ctx, null);
    const gate = first.records.find((r) => r.externalId === `event:${meeting.id}`)!;
    expect(gate).toMatchObject({ kind: 'event', dueAt: start, fields: { decisionMeeting: true } });
    expect(gate.assignees.map((a) => a.id)).toEqual([CFO, LEE]);
    expect(first.records.find((r) => r.title === 'Team lunch')).toMatchObject({
      assignees: [],
      activity: [],
    });

    await sim.respondToMeeting(meeting.id, CFO, 'accepted');
    await sim.respondToMeeting(meeting.id, LEE, 'declined');
    const next = await pullAll(ctx, first.cursor);
    expect(next.records).toHaveLength(1);
    expect(next.records[0].activity.map((a) => [a.actor?.id, a.detail?.response])).toEqual([
      [CFO, 'accepted'],
      [LEE, 'declined'],
    ]);
  });

  it('resyncs a folder after Graph expired its delta token, yielding each message version once', async () => {
    const { sim, ctx } = await world([{ user: PM, folders: ['inbox'], calendars: false }]);
    for (let i = 0; i < 15; i++) await sim.addMessage(PM, 'inbox', { subject: `Update ${i}` });
    const first = await pullAll(ctx, null);
    const added = await sim.addMessage(PM, 'inbox', { subject: 'Arrived while the token expired' });
    sim.expireDeltaTokens();
    const next = await pullAll(ctx, first.cursor);
    const keys = next.records.map((r) => `${r.externalId}@${r.updatedAt}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(next.records.map((r) => r.externalId)).toContain(`msg:${added.id}`);
    expect(next.records).toHaveLength(16);
    const quiet = await pullAll(ctx, next.cursor);
    expect(quiet.records).toEqual([]);
  });

  it('waits out the simulator’s 429 with Retry-After through the kit pacer', async () => {
    const { sim, ctx } = await world([{ user: PM, folders: ['inbox'], calendars: false }]);
    await sim.addMessage(PM, 'inbox', { subject: 'Hello' });
    sim.failNext(2, { status: 429, retryAfterSeconds: 3 });
    const { records } = await pullAll(ctx, null);
    expect(ctx.waits).toEqual([3000, 3000]);
    expect(records).toHaveLength(1);
  });

  it('serves a seed given in Graph wire format (fixtures/simulator-seed.json)', async () => {
    const now = new Date('2024-03-06T08:00:00Z');
    sim = await startOutlookSimulator({
      now: () => now,
      seed: seed as GraphSimulatorOptions['seed'],
    });
    const ctx = testContext({ ...sim.connectionSettings(), mailboxes: [{ user: PM }] }, { now });
    const { records } = await pullAll(ctx, null);
    // Sent Items (the request) and Inbox (the answer) are separate delta streams, so two records.
    expect(records.map((r) => [r.externalId, r.state.raw])).toEqual([
      ['conv:AAQkAGI2U2VlZENvbnZlcnNhdGlvbg==', 'pending'],
      ['conv:AAQkAGI2U2VlZENvbnZlcnNhdGlvbg==', 'approved'],
      ['msg:AAMkAGI2U2VlZE5ld3NsZXR0ZXIAAA=', 'received'],
      ['event:AAMkADNkU2VlZEdhdGUAAA=', 'scheduled'],
    ]);
    expect(
      activities(records).map((a) => [a.kind, a.actor?.id, a.detail?.decision ?? a.detail?.response]),
    ).toEqual([
      ['approval_requested', PM, undefined],
      ['decided', CFO, 'approved'],
      ['responded', CFO, 'accepted'],
      ['responded', LEE, 'none'],
    ]);
  });

  it('reads only mail received in the last historyDays on a first pull, and later mail after it', async () => {
    let now = new Date('2024-03-06T08:00:00Z');
    sim = await startOutlookSimulator({ now: () => now, seed: seed as GraphSimulatorOptions['seed'] });
    const withHistory = (historyDays: number) =>
      testContext(
        { ...sim!.connectionSettings(), historyDays, mailboxes: [{ user: PM, calendars: false }] },
        { now },
      );
    // Two days back (from 4 March 08:00) covers the request, its reply and the newsletter.
    const twoDays = await pullAll(withHistory(2), null);
    expect(twoDays.records.map((r) => [r.externalId, r.state.raw])).toEqual([
      ['conv:AAQkAGI2U2VlZENvbnZlcnNhdGlvbg==', 'pending'],
      ['conv:AAQkAGI2U2VlZENvbnZlcnNhdGlvbg==', 'approved'],
      ['msg:AAMkAGI2U2VlZE5ld3NsZXR0ZXIAAA=', 'received'],
    ]);
    // One day back (from 5 March 08:00): the request and the newsletter are older, and a reply
    // whose request Baton never saw waits for it.
    const oneDay = withHistory(1);
    const first = await pullAll(oneDay, null);
    expect(first.records).toEqual([]);

    now = new Date('2024-03-20T08:00:00Z');
    await sim.sendApprovalRequest({ from: LEE, to: [PM], subject: '[Approval] Rollback drill', body: 'OK?' });
    const next = await pullAll(oneDay, first.cursor);
    expect(next.records.map((r) => r.state.raw)).toEqual(['pending']);
  });

  it('refuses the simulator over TLS unless its certificate is trusted for the connection', async () => {
    const { sim } = await world([{ user: PM }]);
    const { tlsCaCertificate: _untrusted, ...settings } = sim.connectionSettings();
    const error = await pullAll(testContext(settings), null).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/certificate/i);
  });
});
