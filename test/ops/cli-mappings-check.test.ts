import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runBaton } from './support/run-cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-mappings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('baton mappings check', () => {
  it('reports a broken copy of an example file as file:line:col: message (code) and exits 2', async () => {
    const original = await readFile(join(REPO, 'mappings/checkout-rollout.yaml'), 'utf8');
    const lines = original.split('\n');
    const broken = lines.findIndex((line) => /^ {4}owner: /.test(line));
    lines[broken] = '    owner: nobody-at-all';
    const file = join(dir, 'checkout-rollout.yaml');
    await writeFile(file, lines.join('\n'));

    const result = await runBaton(['mappings', 'check', file], { BATON_CONFIG: join(dir, 'none.yaml') });

    expect(result.code).toBe(2);
    const errors = result.stdout.trim().split('\n');
    expect(errors).toHaveLength(1);
    const match = /^(.+):(\d+):(\d+): (.+) \(([a-z_]+)\)$/.exec(errors[0]);
    expect(match, errors[0]).not.toBeNull();
    const [, path, line, column, message, code] = match!;
    expect(path).toBe(file);
    expect(Number(line)).toBe(broken + 1);
    expect(Number(column)).toBe('    owner: '.length + 1);
    expect(message).toContain('nobody-at-all');
    expect(code).toBe('unknown_person');
  });

  it('exits 0 and names each plan when every file is valid', async () => {
    const result = await runBaton(['mappings', 'check', join(REPO, 'mappings')], {
      BATON_CONFIG: join(dir, 'none.yaml'),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: .*checkout-rollout\.yaml \(plan checkout-rollout, \d+ phases\)$/m);
  });
});

describe('editor support for mapping files', () => {
  it('starts every example mapping file with the yaml-language-server schema line', async () => {
    const files = (await readdir(join(REPO, 'mappings'))).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const first = (await readFile(join(REPO, 'mappings', file), 'utf8')).split('\n')[0];
      expect(first, file).toBe('# yaml-language-server: $schema=./schema.json');
    }
    const schema = JSON.parse(await readFile(join(REPO, 'mappings/schema.json'), 'utf8'));
    expect(schema.title).toBe('Baton mapping file');
  });
});
