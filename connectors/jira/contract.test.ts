import { connectorContract } from '../../src/connectors/kit/contract-suite.js';
import jira from './index.js';
import { startJiraSimulator } from './simulator.js';

const PAGE_SIZE = 5;

connectorContract({
  connector: jira,
  pageSize: PAGE_SIZE,
  async start({ items }) {
    const sim = await startJiraSimulator({
      generate: { count: items, seed: 7 },
      webhook: { secret: 'contract-secret' },
    });
    return {
      // Reconcile on every pull, so a deletion shows up in the very next one.
      settings: { ...sim.connectionSettings(), pageSize: PAGE_SIZE, reconcileEveryHours: 0 },
      liveIds: async () => sim.liveIds(),
      changeOne: async () => {
        const [id] = sim.liveIds();
        await sim.updateIssue(id, { summary: 'Changed by the contract suite' });
        return id;
      },
      deleteOne: async () => {
        const id = sim.liveIds()[1];
        await sim.deleteIssue(id);
        return id;
      },
      signedDelivery: async () => {
        const [id] = sim.liveIds();
        await sim.assign(id, sim.users[2].accountId, sim.users[0].accountId);
        const delivery = sim.deliveries[sim.deliveries.length - 1];
        return { headers: { ...delivery.headers }, query: {}, rawBody: delivery.body };
      },
      stop: () => sim.stop(),
    };
  },
});
