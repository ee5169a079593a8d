import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { CONNECTION_FIELDS, configDocPath, renderConfigDoc } from '../../src/config/write-config-docs.js';
import { registerFakeConnector } from '../support/fake-connector.js';

describe('docs/configuration.md', () => {
  it('is exactly what src/config/write-config-docs.ts generates from the schema', async () => {
    const committed = await readFile(configDocPath, 'utf8');
    expect(committed, 'run: npx tsx src/config/write-config-docs.ts').toBe(renderConfigDoc());
  });

  it('lists every environment variable with its default', () => {
    const doc = renderConfigDoc();
    expect(doc).toContain('| `PORT` | `8080` | integer 0–65535 | HTTP port. |');
    expect(doc).toContain('| `DATABASE_URL` | unset |');
    expect(doc).toMatch(/\| `LOG_LEVEL` \| `info` \| `fatal`, `error`/);
  });

  it("documents every field baton.yaml's parser gives a connection, with the parser's defaults", () => {
    registerFakeConnector();
    const [connection] = parseBatonConfig(
      'connections:\n  c:\n    kind: fake\n    secret: s\n',
      'baton.yaml',
      {},
    ).connections;
    const documented = new Map<string, string>(CONNECTION_FIELDS.map((f) => [f[0], f[1]]));
    const common = Object.keys(connection).filter((k) => !['name', 'settings', 'declared'].includes(k));
    expect(common.sort()).toEqual([...documented.keys()].sort());
    for (const key of common.filter((k) => k !== 'kind'))
      expect(documented.get(key), key).toBe(`\`${String(connection[key as keyof typeof connection])}\``);
    expect(documented.get('kind')).toBe('required');
  });

  it('refuses a poll interval under the documented minimum of 5 seconds, and a connection without kind', () => {
    registerFakeConnector();
    const parse = (yaml: string) => () => parseBatonConfig(`connections:\n  c:\n${yaml}`, 'baton.yaml', {});
    expect(parse('    kind: fake\n    secret: s\n    pollIntervalSeconds: 4\n')).toThrow(ConfigError);
    expect(parse('    kind: fake\n    secret: s\n    pollIntervalSeconds: 5\n')).not.toThrow();
    expect(parse('    secret: s\n')).toThrow(ConfigError);
  });
});
