import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { runDoctor } from './doctor.js';
import { formatCheck, summarise } from './doctor-report.js';
import { printPlanStatus } from './status.js';

/** The operator's commands: `baton doctor` and `baton status <plan>`. Exit codes as in README. */
export function registerOpsCommands(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, database, migrations, mapping files and every connection')
    .option('--timeout <seconds>', 'longest wait for the database and each connection', '20')
    .addHelpText('after', '\nPrints each problem with its fix. Exit code 1 when any check fails.')
    .action(async (options: { timeout: string }) => {
      const env = readEnv();
      const timeoutMs = Math.max(1, Number(options.timeout) || 20) * 1000;
      const checks = await runDoctor(env, {
        timeoutMs,
        report: (check) => console.log(formatCheck(check)),
      });
      console.log(`\n${summarise(checks)}`);
      process.exitCode = checks.some((c) => c.status === 'fail') ? 1 : 0;
    });

  program
    .command('status <plan>')
    .description("print a plan's status: phases, progress, owners, approvals waiting, stalled handoffs")
    .option('--json', 'the same JSON as GET /api/plans/:key/status')
    .action(async (plan: string, options: { json?: boolean }) => {
      await printPlanStatus(plan, options);
    });
}
