import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * A service of docker-compose.yml (merge keys resolved), so benchmarks run Baton the way the
 * project deploys it.
 */
function composeService(name: string): { command?: string[]; environment?: Record<string, string> } {
  const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), {
    merge: true,
  });
  return compose.services[name];
}

/** The API service's command (`serve --no-worker`). */
export function deployedApiArgs(): string[] {
  return composeService('api').command ?? ['serve'];
}

/** The Node options the worker service runs with (its heap cap). */
export function deployedWorkerNodeOptions(): string[] {
  return String(composeService('worker').environment?.NODE_OPTIONS ?? '')
    .split(' ')
    .filter(Boolean);
}
