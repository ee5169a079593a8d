import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EnvSchema } from './env.js';

export const configDocPath = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));

interface FieldSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function accepts(field: FieldSchema): string {
  if (field.enum) return field.enum.map((v) => `\`${v}\``).join(', ');
  if (field.format === 'uri') return 'a URL';
  if (field.pattern) return `text matching \`${field.pattern}\``;
  if (field.type === 'integer') {
    const range = [field.minimum, field.maximum].every((n) => n !== undefined)
      ? ` ${field.minimum}–${field.maximum}`
      : field.minimum !== undefined
        ? ` ≥ ${field.minimum}`
        : '';
    return `integer${range}`;
  }
  return field.type === 'string' || !field.type ? 'text' : field.type;
}

/** The environment table, from the zod schema's JSON Schema: names, defaults, accepted values, descriptions. */
export function environmentTable(): string {
  const schema = z.toJSONSchema(EnvSchema, { io: 'input' }) as { properties: Record<string, FieldSchema> };
  const rows = Object.entries(schema.properties).map(([name, field]) => {
    const fallback = field.default === undefined ? 'unset' : `\`${String(field.default)}\``;
    return `| \`${name}\` | ${fallback} | ${cell(accepts(field))} | ${cell(field.description ?? '')} |`;
  });
  return ['| variable | default | accepts | what |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * Fields every connection in baton.yaml has, whatever its kind. baton-config.ts keeps their
 * schema private, so they are written here; test/ops/config-docs.test.ts checks the defaults and
 * limits against the parser itself.
 */
export const CONNECTION_FIELDS = [
  [
    'kind',
    'required',
    'a connector kind: `github`, `jira`, `outlook`, `drive`',
    'which tool the connection reads',
  ],
  [
    'pollIntervalSeconds',
    '`300`',
    'integer ≥ 5',
    'seconds between incremental pulls (webhooks still arrive at once)',
  ],
  [
    'enabled',
    '`true`',
    '`true`, `false`',
    'false keeps the connection declared but stops its polls (`baton doctor` skips it too)',
  ],
  [
    'webhookRateLimitPerMinute',
    '`600`',
    'integer 1–1000000',
    'webhook deliveries accepted per minute for this connection; more are answered 429',
  ],
  [
    'allowPrivateNetwork',
    '`false`',
    '`true`, `false`',
    'lets URL settings point at link-local and cloud metadata addresses',
  ],
] as const;

export function renderConfigDoc(): string {
  const connectionRows = CONNECTION_FIELDS.map((f) => `| \`${f[0]}\` | ${f[1]} | ${f[2]} | ${f[3]} |`);
  return `# Configuration

<!-- Generated from src/config/env.ts by src/config/write-config-docs.ts: do not edit.
     Regenerate: npx tsx src/config/write-config-docs.ts (--check only compares). -->

Baton reads its settings from the environment and its connections from \`baton.yaml\`. Plans are
files in the mappings folder ([mapping-reference.md](mapping-reference.md)).

## Environment

${environmentTable()}

An empty variable counts as unset. A bad value stops the process with exit code 2 and names the
variable.

## baton.yaml

\`BATON_CONFIG\` names the file (optional: without it Baton runs with no connections). It declares
connections by name (lower-case letters, digits, \`_\` and \`-\`); any string may name an environment
variable as \`\${VAR}\`, resolved at start (a missing variable is a start-up error, exit code 2), so
secrets stay out of the file:

\`\`\`yaml
connections:
  github:
    kind: github
    pollIntervalSeconds: 300
    token: \${GITHUB_TOKEN}
\`\`\`

Fields every connection has:

| field | default | accepts | what |
|---|---|---|---|
${connectionRows.join('\n')}

Every other field belongs to the connector and is validated by its schema: see
[connectors/](connectors/) for each kind's settings, credentials and webhook URL.
`;
}

/** `npx tsx src/config/write-config-docs.ts [--check]`: writes docs/configuration.md, or compares. */
async function main(args: string[]): Promise<number> {
  const text = renderConfigDoc();
  if (args.includes('--check')) {
    if ((await readFile(configDocPath, 'utf8').catch(() => '')) === text) return 0;
    process.stderr.write(`${configDocPath} is out of date: run npx tsx src/config/write-config-docs.ts\n`);
    return 1;
  }
  await writeFile(configDocPath, text);
  process.stdout.write(`wrote ${configDocPath}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
