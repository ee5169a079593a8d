import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadMappingText } from './load-mapping.js';
import { formatMappingError } from './mapping-error.js';
import { MappingFile } from './mapping-schema.js';
import { withGeneratedBlock } from './reference-tables.js';
import {
  mappingJsonSchema,
  referencePath,
  renderReferenceBlock,
  renderSchema,
  schemaPath,
} from './write-schema.js';

const examples = (await readdir('mappings'))
  .filter((n) => /\.ya?ml$/.test(n))
  .map((n) => join('mappings', n));

/** Every place in a JSON Schema that declares properties, with the path to it. */
function propertiesIn(node: unknown, path = '#'): { path: string; schema: Record<string, unknown> }[] {
  if (Array.isArray(node)) return node.flatMap((child, i) => propertiesIn(child, `${path}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  const out: { path: string; schema: Record<string, unknown> }[] = [];
  const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
  for (const [key, schema] of Object.entries(properties ?? {}))
    out.push({ path: `${path}/properties/${key}`, schema });
  for (const [key, child] of Object.entries(node)) out.push(...propertiesIn(child, `${path}/${key}`));
  return out;
}

describe('mappings/schema.json', () => {
  it('is exactly what the generator produces from the zod schema (run npm run schema)', async () => {
    expect(await readFile(schemaPath, 'utf8')).toBe(renderSchema());
  });

  it('and the tables of docs/mapping-reference.md are current (run npm run schema)', async () => {
    const doc = await readFile(referencePath, 'utf8');
    expect(withGeneratedBlock(doc, renderReferenceBlock())).toBe(doc);
  });

  it('describes every field, so editors can explain it', () => {
    const undocumented = propertiesIn(mappingJsonSchema())
      .filter(({ schema }) => typeof schema.description !== 'string' || schema.description === '')
      .map(({ path }) => path);
    expect(undocumented).toEqual([]);
  });

  it('carries an id, a title and a description', () => {
    expect(mappingJsonSchema()).toMatchObject({
      $id: expect.any(String),
      title: 'Baton mapping file',
      description: expect.stringContaining('plan'),
    });
  });
});

describe.each(examples)('example %s', (file) => {
  it('points editors at the schema on its first line', async () => {
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./schema.json',
    );
  });

  it('validates against the zod schema', async () => {
    const result = MappingFile.safeParse(parse(await readFile(file, 'utf8')));
    expect(result.error?.issues ?? []).toEqual([]);
  });
});

describe('docs/mapping-reference.md', () => {
  it('shows a small file that loads as it is written', async () => {
    const doc = await readFile(referencePath, 'utf8');
    const example = /```yaml\n(# yaml-language-server[^`]*?version: 1[^`]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const result = loadMappingText(example!, 'docs example');
    expect(result.ok ? [] : result.errors.map(formatMappingError)).toEqual([]);
  });
});
