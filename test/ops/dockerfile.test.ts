import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/run-cli.js';

const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
// Instructions with their continuation lines joined; comments dropped.
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => {
  if (line.startsWith('FROM ')) all.push([]);
  all.at(-1)?.push(line);
  return all;
}, []);
const finalStage = stages.at(-1) ?? [];
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const exec = (instruction: string) =>
  JSON.parse(
    finalStage.find((l) => l.startsWith(`${instruction} `))!.slice(instruction.length + 1),
  ) as string[];

describe('Dockerfile', () => {
  it('builds in several stages from Node 24 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:24[-.\w]*-slim$/);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM \$\{NODE_IMAGE\} AS \w+$/);
  });

  it('installs production dependencies only in the final stage, tsx among them', () => {
    expect(finalStage.some((l) => /^RUN .*npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(finalStage.some((l) => /npm (ci|install)(?!.*--omit=dev)/.test(l))).toBe(false);
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('runs as a user that is not root', () => {
    const users = finalStage.filter((l) => l.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER (root|0)(:|$)/);
    const lastUser = finalStage.lastIndexOf(users.at(-1)!);
    expect(lastUser).toBeLessThan(finalStage.findIndex((l) => l.startsWith('ENTRYPOINT ')));
  });

  it('starts `baton serve` the way the README does, listening on every interface', () => {
    const command = [...exec('ENTRYPOINT'), ...exec('CMD')];
    expect(command).toEqual(['node', pkg.bin.baton, 'serve']);
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('baton serve');
    expect(finalStage.some((l) => /^ENV .*\bHOST=0\.0\.0\.0\b/.test(l))).toBe(true);
  });

  it('checks its health on /healthz', () => {
    expect(finalStage.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/healthz');
  });

  it('copies only paths that exist, and keeps local state and secrets out of the build context', () => {
    for (const line of finalStage.filter((l) => l.startsWith('COPY --from='))) {
      const source = line.split(/\s+/)[2].replace(/^\/app\//, '');
      expect(existsSync(join(REPO, source)), source).toBe(true);
    }
    const ignored = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.git', '.baton', '.env', '*.env']) expect(ignored).toContain(entry);
  });
});
