import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { MappingFile } from './mapping-schema.js';
import { recordFieldTable, referenceTables, withGeneratedBlock } from './reference-tables.js';

/** Where editors find it: each mapping file starts with `# yaml-language-server: $schema=./schema.json`. */
export const schemaPath = fileURLToPath(new URL('../../mappings/schema.json', import.meta.url));
/** The reference's field tables are generated too (between markers), so they state facts. */
export const referencePath = fileURLToPath(new URL('../../docs/mapping-reference.md', import.meta.url));

/** mappings/schema.json, generated from the zod schema so the two cannot disagree. */
export function mappingJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(MappingFile, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: 'urn:baton:mapping-file:v1',
    title: 'Baton mapping file',
    ...rest,
    description:
      'One implementation plan (outcome, scope, people, phases) and how items from Jira, GitHub, Outlook and Google Drive map into it: selectors, state rules, approval rules, handoff SLAs and escalation. Generated from src/mapping/mapping-schema.ts by `npm run schema`; do not edit.',
  };
}

export function renderSchema(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}

/** The generated part of docs/mapping-reference.md: field tables and record field paths. */
export function renderReferenceBlock(): string {
  return `${referenceTables(mappingJsonSchema())}\n\n${recordFieldTable()}`;
}

/**
 * `npm run schema` writes mappings/schema.json and the reference's generated tables; with
 * `--check` it only says whether both are current (exit 1 if not).
 */
async function main(args: string[]): Promise<number> {
  const doc = await readFile(referencePath, 'utf8');
  const outputs: [string, string | undefined][] = [
    [schemaPath, renderSchema()],
    [referencePath, withGeneratedBlock(doc, renderReferenceBlock())],
  ];
  let status = 0;
  for (const [path, text] of outputs) {
    if (text === undefined) {
      process.stderr.write(`${path}: the generated-block markers are missing\n`);
      status = 1;
    } else if (args.includes('--check')) {
      if ((await readFile(path, 'utf8').catch(() => '')) !== text) {
        process.stderr.write(`${path} is out of date: run npm run schema\n`);
        status = 1;
      }
    } else {
      await writeFile(path, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  return status;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
