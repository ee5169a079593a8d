import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createTestDatabase } from '../support/test-database.js';
import { opsMapping } from './support/ops-mapping.js';
import { type CliResult, runNode } from './support/run-cli.js';

const TOKEN = 'probe-token-5e1f0c';
let database: DatabaseHandle;
let server: Server;
let base: string;
let dir: string;
const authorizations: string[] = [];

/** A stand-in for a tool's API: /refused answers 401, /skewed answers with a clock 10 minutes slow. */
function toolServer(): Server {
  return createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    if (request.url?.startsWith('/refused/')) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
    } else if (request.url?.startsWith('/skewed/')) {
      response.sendDate = false;
      const slow = new Date(Date.now() - 600_000).toUTCString();
      response.writeHead(200, { 'content-type': 'application/json', date: slow }).end('{"cursor":"c1"}');
    } else if (request.url?.startsWith('/fine/')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"cursor":"c1"}');
    } else {
      response.writeHead(404).end();
    }
  });
}

async function doctor(name: string, connections: string, mappingConnection: string): Promise<CliResult> {
  const folder = join(dir, name);
  await mkdir(join(folder, 'mappings'), { recursive: true });
  await writeFile(join(folder, 'baton.yaml'), `connections:\n${connections}`);
  await writeFile(
    join(folder, 'mappings', 'ops-demo.yaml'),
    opsMapping.replace('connection: jira', `connection: ${mappingConnection}`),
  );
  return runNode(['--import', 'tsx', 'test/ops/support/baton-with-probe.ts', 'doctor', '--timeout', '20'], {
    DATABASE_URL: database.url,
    BATON_CONFIG: join(folder, 'baton.yaml'),
    BATON_MAPPINGS: join(folder, 'mappings'),
    BATON_DATA_DIR: join(folder, 'data'),
    BATON_PUBLIC_URL: undefined,
    PROBE_TOKEN: TOKEN,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'baton-doctor-'));
  server = toolServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await database.close();
});

describe('baton doctor', () => {
  let result: CliResult;
  beforeAll(async () => {
    result = await doctor(
      'failing',
      [
        `  refused:\n    kind: probe\n    baseUrl: ${base}/refused\n    token: \${PROBE_TOKEN}\n`,
        `  skewed:\n    kind: probe\n    baseUrl: ${base}/skewed\n    token: \${PROBE_TOKEN}\n    webhookSecret: s3cret-hook\n`,
      ].join(''),
      'refused',
    );
  });

  it('exits 1 when a check fails', () => {
    expect(result.code, result.stderr).toBe(1);
  });

  it('says the credentials were refused, and how to fix them', () => {
    expect(authorizations).toContain(`Bearer ${TOKEN}`);
    expect(result.stdout).toMatch(
      /^\[FAIL\] refused: credentials: credentials refused \(auth_failed: 401\b.*\)$/m,
    );
    expect(result.stdout).toMatch(/^ {7}fix: .*connections\.refused in baton\.yaml \(\$\{PROBE_TOKEN\}\)$/m);
    expect(result.stdout).not.toContain(TOKEN);
  });

  it("compares this machine's clock with the Date of the tool's response", () => {
    expect(result.stdout).toMatch(/^\[ok {2}\] skewed: credentials: accepted/m);
    expect(result.stdout).toMatch(
      /^\[FAIL\] skewed: clock: this machine is (599|60\d)\.\ds ahead of the tool's$/m,
    );
    expect(result.stdout).toMatch(/^\[ok {2}\] refused: clock: within \d+s of the tool's$/m);
  });

  it('checks the database, migrations and mapping files', () => {
    expect(result.stdout).toMatch(/^\[ok {2}\] database: reachable \(PostgreSQL \d+/m);
    expect(result.stdout).toMatch(/^\[ok {2}\] migrations: current$/m);
    expect(result.stdout).toMatch(/^\[ok {2}\] mappings: 1 plan\(s\) valid/m);
  });

  it('expects webhooks where a secret is configured, and a public URL for them', () => {
    expect(result.stdout).toMatch(/^\[WARN\] skewed: webhooks: no delivery received yet$/m);
    expect(result.stdout).toMatch(
      /^ {7}fix: register the webhook in probe at http:\/\/127\.0\.0\.1:8080\/webhooks\/skewed$/m,
    );
    expect(result.stdout).not.toMatch(/refused: webhooks/);
    expect(result.stdout).toMatch(/^\[FAIL\] public URL: BATON_PUBLIC_URL is not set/m);
  });

  it('ends with a count of checks', () => {
    expect(result.stdout).toMatch(/^\d+ ok, \d+ warnings, [1-9]\d* failed, \d+ skipped$/m);
  });
});

describe('baton doctor with nothing wrong', () => {
  it('exits 0', async () => {
    const result = await doctor(
      'passing',
      `  fine:\n    kind: probe\n    baseUrl: ${base}/fine\n    token: \${PROBE_TOKEN}\n`,
      'fine',
    );
    expect(result.stdout).toMatch(/^\[ok {2}\] fine: credentials: accepted/m);
    expect(result.stdout).toMatch(/, 0 failed, /);
    expect(result.code, result.stdout).toBe(0);
  });
});
