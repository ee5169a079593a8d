import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappingSet } from './mapping-set.js';
import { minimalMapping, mutate } from './test-support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-mapping-set-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const other = mutate('  key: demo', '  key: other');

describe('MappingSet', () => {
  it('reports every plan as changed on the first load', async () => {
    await writeFile(join(dir, 'demo.yaml'), minimalMapping);
    await writeFile(join(dir, 'other.yaml'), other);
    const set = new MappingSet();
    const result = await set.reload(dir);
    expect(result).toMatchObject({ changed: ['demo', 'other'], removed: [], stale: [], errors: [] });
    expect(set.plans().map((p) => p.key)).toEqual(['demo', 'other']);
    expect(set.plan('demo')?.title).toBe('Demo');
  });

  it('reports nothing changed when the files are the same', async () => {
    await writeFile(join(dir, 'demo.yaml'), minimalMapping);
    const set = new MappingSet();
    await set.reload(dir);
    expect((await set.reload(dir)).changed).toEqual([]);
  });

  it('reports a plan as changed when its file changes', async () => {
    await writeFile(join(dir, 'demo.yaml'), minimalMapping);
    await writeFile(join(dir, 'other.yaml'), other);
    const set = new MappingSet();
    await set.reload(dir);
    await writeFile(join(dir, 'demo.yaml'), mutate('  title: Demo', '  title: Demo, second edition'));
    const result = await set.reload(dir);
    expect(result.changed).toEqual(['demo']);
    expect(set.plan('demo')?.title).toBe('Demo, second edition');
  });

  it('keeps the last good version of a file that goes bad, and shows its errors', async () => {
    const file = join(dir, 'demo.yaml');
    await writeFile(file, minimalMapping);
    const set = new MappingSet();
    await set.reload(dir);
    const good = set.plan('demo');
    await writeFile(file, mutate('    phase: build', '    phase: buidl'));
    const result = await set.reload(dir);
    expect(result).toMatchObject({ changed: [], removed: [], stale: [file] });
    expect(set.plan('demo')).toBe(good);
    expect(set.errors()).toMatchObject([{ code: 'unknown_phase', file, line: 24, column: 12 }]);
    expect(set.staleFilesInForce()).toEqual([file]);
  });

  it('takes the fixed version once the file is good again', async () => {
    const file = join(dir, 'demo.yaml');
    await writeFile(file, minimalMapping);
    const set = new MappingSet();
    await set.reload(dir);
    await writeFile(file, 'version: [');
    await set.reload(dir);
    await writeFile(file, mutate('  title: Demo', '  title: Fixed'));
    const result = await set.reload(dir);
    expect(result).toMatchObject({ changed: ['demo'], stale: [], errors: [] });
    expect(set.errors()).toEqual([]);
    expect(set.plan('demo')?.title).toBe('Fixed');
  });

  it('refuses a file that never loaded without keeping anything', async () => {
    await writeFile(join(dir, 'demo.yaml'), 'version: [');
    const set = new MappingSet();
    const result = await set.reload(dir);
    expect(set.plans()).toEqual([]);
    expect(result.errors.map((e) => e.code)).toEqual(['yaml_syntax']);
  });

  it('drops the plan of a deleted file', async () => {
    await writeFile(join(dir, 'demo.yaml'), minimalMapping);
    await writeFile(join(dir, 'other.yaml'), other);
    const set = new MappingSet();
    await set.reload(dir);
    await unlink(join(dir, 'other.yaml'));
    const result = await set.reload(dir);
    expect(result).toMatchObject({ changed: [], removed: ['other'] });
    expect(set.plan('other')).toBeUndefined();
  });

  it('refuses a new file claiming the key of a plan kept from a broken file', async () => {
    await writeFile(join(dir, 'b-demo.yaml'), minimalMapping);
    const set = new MappingSet();
    await set.reload(dir);
    await writeFile(join(dir, 'b-demo.yaml'), 'version: [');
    await writeFile(join(dir, 'a-copy.yaml'), minimalMapping);
    const result = await set.reload(dir);
    expect(set.plan('demo')?.sourceFile).toBe(join(dir, 'b-demo.yaml'));
    expect(result.changed).toEqual([]);
    expect(result.errors.map((e) => [e.code, e.file])).toEqual([
      ['duplicate_plan', join(dir, 'a-copy.yaml')],
      ['yaml_syntax', join(dir, 'b-demo.yaml')],
    ]);
  });

  it('keeps every plan when the directory cannot be read', async () => {
    await writeFile(join(dir, 'demo.yaml'), minimalMapping);
    const set = new MappingSet();
    await set.reload(dir);
    const result = await set.reload(join(dir, 'missing'));
    expect(result.removed).toEqual([]);
    expect(set.plan('demo')).toBeDefined();
    expect(set.errors().map((e) => e.code)).toEqual(['dir_unreadable']);
  });
});
