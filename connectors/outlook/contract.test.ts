import { connectorContract } from '../../src/connectors/kit/contract-suite.js';
import type { WebhookRequest } from '../../src/connectors/kit/index.js';
import { outlookConnector } from './index.js';
import { startOutlookSimulator } from './simulator.js';
import { type Receiver, startReceiver, testContext } from './test-support.js';

const PM = 'pm@contoso.com';
const PAGE_SIZE = 10;

/**
 * Graph signs nothing: a notification authenticates only by the clientState it carries, so a
 * byte flipped elsewhere in the body (say, in a resource id) still verifies — by design of Graph,
 * and harmless here because a notification only ever causes a pull through delta. The attack the
 * contract's tamper test stands for is therefore a body that does not carry our secret: this
 * tamper changes one character of the clientState, keeping the JSON valid.
 */
function tamperClientState(request: WebhookRequest): WebhookRequest {
  const body = JSON.parse(request.rawBody.toString('utf8')) as { value: { clientState: string }[] };
  for (const notification of body.value) {
    const secret = notification.clientState;
    notification.clientState = secret.slice(0, -1) + (secret.endsWith('x') ? 'y' : 'x');
  }
  return { ...request, rawBody: Buffer.from(JSON.stringify(body)) };
}

connectorContract({
  connector: outlookConnector,
  pageSize: PAGE_SIZE,
  async start({ items }) {
    const sim = await startOutlookSimulator({ pageSize: PAGE_SIZE, seed: { mailboxes: [{ user: PM }] } });
    const meetings = 3;
    for (let i = 0; i < items - meetings; i++) {
      await sim.addMessage(PM, 'inbox', {
        subject: `Status ${i} for CHK-${i}`,
        bodyPreview: `Line one\r\nLine two ${i}`,
      });
    }
    for (let i = 0; i < meetings; i++) {
      const start = new Date(Date.now() + (i + 1) * 86_400_000).toISOString();
      const end = new Date(Date.parse(start) + 1_800_000).toISOString();
      await sim.createMeeting({
        organizer: PM,
        subject: `Go/No-Go ${i}`,
        start,
        end,
        attendees: ['cfo@contoso.com'],
      });
    }
    const settings = sim.connectionSettings();
    let receiver: Receiver | undefined;
    return {
      settings,
      liveIds: async () => [
        ...sim.messages(PM, 'inbox').map((m) => `msg:${m.id}`),
        ...sim.messages(PM, 'sentitems').map((m) => `msg:${m.id}`),
        ...sim.events(PM).map((e) => `event:${e.id}`),
      ],
      async changeOne() {
        const [message] = sim.messages(PM, 'inbox');
        await sim.updateMessage(message.id, { categories: ['Blue category'], isRead: true });
        return `msg:${message.id}`;
      },
      async deleteOne() {
        const message = sim.messages(PM, 'inbox').at(-1)!;
        await sim.deleteMessage(message.id);
        return `msg:${message.id}`;
      },
      async signedDelivery() {
        const ctx = testContext(settings);
        receiver = await startReceiver(ctx);
        await outlookConnector.subscriptions!.ensure(ctx, null, receiver.url);
        const [message] = sim.messages(PM, 'inbox');
        await sim.updateMessage(message.id, { isRead: true });
        const delivery = receiver.deliveries.at(-1);
        if (!delivery) throw new Error('the simulator sent no notification');
        return delivery;
      },
      tamper: tamperClientState,
      async stop() {
        await receiver?.stop();
        await sim.stop();
      },
    };
  },
});
