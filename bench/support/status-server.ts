import pino from 'pino';
import { assembleStatus } from '../../src/api/plan-status.js';
import { readEnv } from '../../src/config/env.js';
import { startBaton } from '../../src/server.js';
import { readPlanFacts } from '../../src/store/status.repository.js';

/** The real Baton API process (no workers), plus one route that times an uncached status computation. */
const env = readEnv();
const running = await startBaton({
  env,
  log: pino({ level: 'warn' }),
  worker: false,
  plugins: [
    async (app) => {
      app.get('/bench/uncached', { schema: { hide: true } }, async () => {
        const plan = app.services.plans.get('bench')!;
        const started = performance.now();
        const now = new Date();
        const facts = await readPlanFacts(
          app.services.db,
          'bench',
          now,
          new Date(now.getTime() - 7 * 86_400_000),
        );
        const status = assembleStatus(plan, facts, now);
        const ms = Math.round((performance.now() - started) * 10) / 10;
        return { ms, bytes: JSON.stringify(status).length };
      });
    },
  ],
});
console.log(`LISTENING ${running.url}`);
process.on('SIGTERM', () => running.stop().then(() => process.exit(0)));
