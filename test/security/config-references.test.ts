import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { ConfigError } from '../../src/config/errors.js';
import { registerFourTools } from './support/four-tools.js';

let dir: string;
beforeAll(async () => {
  registerFourTools();
  dir = await mkdtemp(join(tmpdir(), 'baton-refs-'));
  await writeFile(join(dir, 'gh-token'), 'ghp_from_a_file\n');
  await writeFile(join(dir, 'crlf-secret'), 'webhook-secret\r\n\r\n');
});

const github = (token: string, extra = '') =>
  `connections:\n  gh:\n    kind: github\n    repos: [acme/checkout]\n    token: ${token}\n    webhookSecret: ${extra || 'w'}\n`;
const load = (yaml: string, env: NodeJS.ProcessEnv = {}) =>
  parseBatonConfig(yaml, join(dir, 'baton.yaml'), env).connections[0];

describe('file references in baton.yaml', () => {
  it('reads the file once at load, without its trailing newline', () => {
    const connection = load(
      github(`\${file:${join(dir, 'gh-token')}}`, `\${file:${join(dir, 'crlf-secret')}}`),
    );
    expect(connection.settings).toMatchObject({ token: 'ghp_from_a_file', webhookSecret: 'webhook-secret' });
  });

  it('reads a relative path from the folder of baton.yaml', () => {
    expect(load(github(`\${file:gh-token}`)).settings).toMatchObject({ token: 'ghp_from_a_file' });
  });

  it('is a ConfigError naming the connection, setting and path when the file is missing', () => {
    const missing = join(dir, 'no-such-secret');
    const attempt = () => load(github(`\${file:${missing}}`));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`connections.gh.token: cannot read secret file ${missing} (ENOENT)`);
  });

  it('is a ConfigError when the path is a folder', () => {
    expect(() => load(github(`\${file:${dir}}`))).toThrow(
      /connections\.gh\.token: cannot read secret file .* \(EISDIR\)/,
    );
  });
});

describe('declared settings (what connections.settings stores)', () => {
  it('keeps every reference and blanks secrets written in clear', () => {
    const connection = load(github('ghp_written_in_clear', `\${WEBHOOK_SECRET}`), {
      WEBHOOK_SECRET: 'from-env',
    });
    expect(connection.declared).toMatchObject({ token: '[redacted]', webhookSecret: `\${WEBHOOK_SECRET}` });
    expect(JSON.stringify(connection.declared)).not.toContain('ghp_written_in_clear');
    expect(JSON.stringify(connection.declared)).not.toContain('from-env');
    expect(connection.settings).toMatchObject({ token: 'ghp_written_in_clear', webhookSecret: 'from-env' });
  });

  it('does not expand a reference that a variable value itself contains', () => {
    const connection = load(github(`\${TOKEN}`), { TOKEN: `\${file:/etc/passwd}` });
    expect(connection.settings).toMatchObject({ token: `\${file:/etc/passwd}` });
  });
});
