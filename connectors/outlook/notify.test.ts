import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage, NotifyTarget } from '../../src/connectors/kit/index.js';
import { outlookConnector } from './index.js';
import { type GraphSimulator, startOutlookSimulator } from './simulator.js';
import { testContext } from './test-support.js';

const SERVICE = 'baton@contoso.com';
const message: AlertMessage = {
  subject: 'Approval waiting 3 days: Launch budget',
  text: 'Carlos, Priya asked you to approve "Launch budget" 3 working days ago.',
  statusUrl: 'https://baton.example.com/plans/checkout',
};
const target = (person: NotifyTarget['person']): NotifyTarget => ({
  externalId: 'conv:AAQk',
  url: 'https://outlook.office365.com/owa/?ItemID=AAMk',
  fields: {},
  person,
});

let sim: GraphSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start() {
  sim = await startOutlookSimulator({
    serviceMailbox: SERVICE,
    seed: { mailboxes: [{ user: SERVICE }, { user: 'cfo@contoso.com' }] },
  });
  return { sim, ctx: testContext(sim.connectionSettings()) };
}

describe('outlook notify', () => {
  it('mails the person from the service mailbox with the status link, keeping no sent copy', async () => {
    const { sim, ctx } = await start();
    const result = await outlookConnector.notify!(
      ctx,
      target({ name: 'Carlos Finance', email: 'cfo@contoso.com', identities: [] }),
      message,
    );
    expect(result).toEqual({ ok: true });
    expect(sim.sentMail).toHaveLength(1);
    const [sent] = sim.sentMail;
    expect(sent).toMatchObject({
      from: SERVICE,
      saveToSentItems: false,
      message: {
        subject: message.subject,
        body: { contentType: 'text' },
        toRecipients: [{ emailAddress: { address: 'cfo@contoso.com', name: 'Carlos Finance' } }],
      },
    });
    expect(sent.message.body?.content).toContain(message.text);
    expect(sent.message.body?.content).toContain(`Status: ${message.statusUrl}`);
    expect(sim.messages('cfo@contoso.com', 'inbox').map((m) => m.subject)).toEqual([message.subject]);
    expect(sim.messages(SERVICE, 'sentitems')).toEqual([]);
  });

  it('finds the address among the person’s outlook identities', async () => {
    const { sim, ctx } = await start();
    const result = await outlookConnector.notify!(
      ctx,
      target({
        name: 'Carlos',
        identities: [
          { tool: 'github', id: 'carlos' },
          { tool: 'outlook', id: 'cfo@contoso.com' },
        ],
      }),
      message,
    );
    expect(result).toEqual({ ok: true });
    expect(sim.sentMail[0].message.toRecipients?.[0].emailAddress?.address).toBe('cfo@contoso.com');
  });

  it('reports a person without an email address instead of sending', async () => {
    const { sim, ctx } = await start();
    const result = await outlookConnector.notify!(
      ctx,
      target({ name: 'Carlos', identities: [{ tool: 'github', id: 'carlos' }] }),
      message,
    );
    expect(result).toMatchObject({ ok: false, code: 'no_recipient', retry: false });
    expect(sim.sentMail).toEqual([]);
  });

  it('reports a connection without a service mailbox', async () => {
    const { sim } = await start();
    const { serviceMailbox: _none, ...settings } = sim.connectionSettings();
    const result = await outlookConnector.notify!(
      testContext(settings),
      target({ name: 'C', email: 'cfo@contoso.com', identities: [] }),
      message,
    );
    expect(result).toMatchObject({ ok: false, code: 'not_configured', retry: false });
  });

  it('asks for a retry later when Graph keeps throttling', async () => {
    const { sim, ctx } = await start();
    sim.setFault({ status: 429, retryAfterSeconds: 1 });
    const result = await outlookConnector.notify!(
      ctx,
      target({ name: 'C', email: 'cfo@contoso.com', identities: [] }),
      message,
    );
    expect(result).toMatchObject({ ok: false, code: 'rate_limited', retry: true });
    expect(sim.sentMail).toEqual([]);
  });
});
