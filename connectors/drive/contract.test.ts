import { connectorContract } from '../../src/connectors/kit/contract-suite.js';
import type { WebhookRequest } from '../../src/connectors/kit/index.js';
import { FOLDER_MIME } from './folder-tree.js';
import { driveConnector } from './index.js';
import { file, folder } from './sim-wire.js';
import { startDriveSimulator } from './simulator.js';
import { startReceiver } from './test-support.js';

const PAGE = 5;
const CHANNEL_TOKEN = 'contract-channel-token-0123456789';

connectorContract({
  connector: driveConnector,
  pageSize: PAGE,
  async start({ items }) {
    const receiver = await startReceiver();
    const files = [
      folder('fold-root', 'Launch plan'),
      folder('fold-specs', 'Specs', 'fold-root'),
      folder('fold-out', 'Elsewhere'),
    ];
    for (let i = 0; i < items; i++) {
      files.push(
        file({ id: `file-${i}`, name: `Spec ${i} for CHK-${i}`, parent: i % 2 ? 'fold-specs' : 'fold-root' }),
      );
    }
    files.push(file({ id: 'file-outside', name: 'Not in the plan', parent: 'fold-out' }));
    const sim = await startDriveSimulator({
      seed: { files },
      scope: ['fold-root'],
      pageSize: PAGE,
      channelToken: CHANNEL_TOKEN,
      webhook: { url: receiver.url, token: CHANNEL_TOKEN },
    });
    const inScope = (id: string): boolean => {
      let f = sim.data.files.get(id);
      for (let depth = 0; f && depth < 10; depth++) {
        const parent = f.parents?.[0];
        if (parent === 'fold-root') return true;
        f = parent ? sim.data.files.get(parent) : undefined;
      }
      return false;
    };
    const live = () =>
      [...sim.data.files.values()].filter((f) => f.mimeType !== FOLDER_MIME && !f.trashed && inScope(f.id!));
    return {
      settings: sim.connectionSettings(),
      liveIds: async () => live().map((f) => f.id!),
      changeOne: async () => sim.modifyFile(live()[0].id!, { name: 'Spec, second draft' }).id!,
      deleteOne: async () => {
        const id = live()[1].id!;
        sim.deleteFile(id);
        return id;
      },
      async signedDelivery(): Promise<WebhookRequest> {
        sim.modifyFile(live()[2].id!);
        await sim.flush();
        const change = receiver.received.findLast((r) => r.headers['x-goog-resource-state'] === 'change');
        if (!change) throw new Error('the simulator sent no change notification');
        return change;
      },
      // Drive notifications have no body: an attacker can only guess the channel token.
      tamper: (request) => ({
        ...request,
        headers: { ...request.headers, 'x-goog-channel-token': `${CHANNEL_TOKEN}x` },
      }),
      async stop() {
        await sim.stop();
        await receiver.stop();
      },
    };
  },
});
