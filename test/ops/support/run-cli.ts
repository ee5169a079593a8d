import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script as its own process, the way an operator does (`node bin/baton.js …`), from the
 * repository root. `env` is added to a copy of this process's environment without DATABASE_URL,
 * so each test says which database the command sees.
 */
export function runNode(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      env: { ...inherited, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `baton <args>` exactly as README documents it: `node bin/baton.js`. */
export const runBaton = (args: string[], env: Record<string, string | undefined>) =>
  runNode(['bin/baton.js', ...args], env);
