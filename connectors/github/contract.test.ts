import { connectorContract } from '../../src/connectors/kit/contract-suite.js';
import { githubConnector } from './index.js';
import { startGitHubSimulator } from './simulator.js';

const REPO = 'acme/checkout';
const PAGE_SIZE = 5;
const SECRET = 'contract-secret';

connectorContract({
  connector: githubConnector,
  pageSize: PAGE_SIZE,
  async start({ items }) {
    // Each change lands one second after the last, so "changed" is visible at second precision.
    let clock = Date.parse('2024-06-01T12:00:00Z');
    const sim = await startGitHubSimulator({
      generate: { repo: REPO, items },
      webhook: { secret: SECRET },
      now: () => {
        clock += 1000;
        return new Date(clock);
      },
    });
    const issueNumbers = () =>
      sim
        .liveIds()
        .map((id) => Number(id.split('#')[1]))
        .filter((n) => n % 4 !== 0);
    return {
      // Deletions leave no trace in GitHub's listing: the suite pulls right after deleting, so the
      // reconciliation pass must run on every pull here (it is daily by default).
      settings: { ...sim.connectionSettings(), perPage: PAGE_SIZE, reconcileEveryHours: 0 },
      liveIds: async () => sim.liveIds(),
      async changeOne() {
        const [number] = issueNumbers();
        await sim.editIssue(REPO, number, { title: 'Retitled by the contract suite', by: 'alice' });
        return `${REPO}#${number}`;
      },
      async deleteOne() {
        const number = issueNumbers().at(-1)!;
        await sim.deleteIssue(REPO, number, { by: 'alice' });
        return `${REPO}#${number}`;
      },
      async signedDelivery() {
        const [number] = issueNumbers();
        await sim.assign(REPO, number, { assignee: 'bob', by: 'alice' });
        return sim.deliveries.at(-1)!.request;
      },
      stop: () => sim.stop(),
    };
  },
});
