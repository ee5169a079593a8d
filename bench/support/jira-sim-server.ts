import { startJiraSimulator } from '../../connectors/jira/simulator.js';

/**
 * The Jira simulator in its own process (its memory is not the sync's): 100,000 generated issues.
 * IPC: `{ change: n }` updates n issues spread over the data set and answers `{ changed }`.
 */
const count = Number(process.env.ISSUES ?? 100_000);
const sim = await startJiraSimulator({ generate: { count, seed: 7 } });
process.on('message', async (message: { change?: number }) => {
  if (!message.change) return;
  const ids = sim.liveIds();
  const step = Math.max(1, Math.floor(ids.length / message.change));
  let changed = 0;
  for (let i = 0; i < ids.length && changed < message.change; i += step) {
    await sim.updateIssue(ids[i], { summary: `Changed in the incremental run ${changed}` });
    changed++;
  }
  process.send?.({ changed });
});
console.log(`LISTENING ${sim.baseUrl} ${JSON.stringify(sim.connectionSettings())}`);
process.on('SIGTERM', () => sim.stop().then(() => process.exit(0)));
