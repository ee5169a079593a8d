import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { benchDatabase } from './support/bench-database.js';
import { startChild } from './support/child.js';
import { alternatingLoad, closedLoopLoad } from './support/load.js';

/**
 * `status`: GET /api/plans/:key/status on a plan with 100,000 items in 20 phases, 5,000 open
 * handoffs and 1,000 approvals, against the same route shape returning a constant, both in
 * their own process, in the same run. Also reports the uncached computation time.
 */
const ITEMS = 100_000;
const PHASES = 20;
const OPEN_HANDOFFS = 5_000;
const APPROVALS = 1_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

function planYaml(): string {
  const phases = Array.from({ length: PHASES }, (_, i) => {
    const deps = i === 0 ? '[]' : `[p${i - 1}]`;
    return `  - { key: p${i}, name: "Phase ${i + 1}", owner: owner${i % 5}, depends_on: ${deps}, exit_criteria: ["Phase ${i + 1} signed off"] }`;
  }).join('\n');
  const people = Array.from(
    { length: 5 },
    (_, i) => `  - { key: owner${i}, name: "Owner ${i}", email: owner${i}@bench.example }`,
  ).join('\n');
  const selectors = Array.from(
    { length: PHASES },
    (_, i) =>
      `  - { type: selector, connection: bench, phase: p${i}, when: { field: fields.phase, equals: "p${i}" } }`,
  ).join('\n');
  return `version: 1\ntype: plan\nplan: { key: bench, title: "Benchmark plan", outcome: "Measure the status route", owner: owner0, target_date: 2099-01-01 }\npeople:\n${people}\nphases:\n${phases}\nrules:\n${selectors}\nhandoffs: { sla: { review: 8h, approval: 16h } }\n`;
}

async function seed(db: Awaited<ReturnType<typeof benchDatabase>>['handle']['db']): Promise<void> {
  await sql`insert into connections (name, kind) values ('bench', 'jira')`.execute(db);
  await sql`insert into plans (key, title, doc, source_file, hash) values ('bench', 'Benchmark plan', '{}', 'bench.yaml', 'seed')`.execute(
    db,
  );
  await sql`
    insert into items (connection, external_id, source, kind, key, title, url, raw_state, state_category, fields, created_at, source_updated_at, content_hash)
    select 'bench', g::text, 'jira', 'issue', 'BEN-' || g, 'Bench item ' || g, 'https://jira.example/browse/BEN-' || g,
      'In Progress', 'in_progress', jsonb_build_object('phase', 'p' || (g % ${PHASES})), now() - interval '30 days', now() - (g || ' seconds')::interval, 'h'
    from generate_series(1, ${ITEMS}) g`.execute(db);
  await sql`
    insert into placements (connection, external_id, plan_key, phase_key, state, owner_name)
    select 'bench', g::text, 'bench', 'p' || (g % ${PHASES}),
      (array['todo','in_progress','in_review','done','done','blocked','cancelled'])[1 + g % 7], 'Owner ' || (g % 5)
    from generate_series(1, ${ITEMS}) g`.execute(db);
  await sql`
    insert into handoffs (connection, id, external_id, plan_key, phase_key, kind, from_name, to_person, to_name, to_identity, opened_at, sla_due_at, next_check_at)
    select 'bench', 'h' || g, g::text, 'bench', 'p' || (g % ${PHASES}), 'review', 'Owner 1', 'owner' || (g % 5), 'Owner ' || (g % 5), '{}',
      now() - ((g % 72) || ' hours')::interval, now() - ((g % 72) || ' hours')::interval + interval '8 hours', null
    from generate_series(1, ${OPEN_HANDOFFS}) g`.execute(db);
  await sql`
    insert into approvals (connection, id, external_id, plan_key, phase_key, approver_person, approver_name, requester_name, status, requested_at)
    select 'bench', 'a' || g, (g * 7)::text, 'bench', 'p' || (g % ${PHASES}), 'owner' || (g % 5), 'Owner ' || (g % 5), 'Owner 0', 'pending', now() - ((g % 100) || ' hours')::interval
    from generate_series(1, ${APPROVALS}) g`.execute(db);
  await sql`
    insert into item_events (connection, external_id, kind, origin, source_updated_at, at)
    select 'bench', g::text, 'updated', 'poll', now(), now() - ((g % 200) || ' hours')::interval
    from generate_series(1, ${ITEMS}) g`.execute(db);
  await sql`analyze`.execute(db);
}

export async function run() {
  const database = await benchDatabase('status');
  const mappings = await mkdtemp(join(tmpdir(), 'baton-bench-'));
  await writeFile(join(mappings, 'bench.yaml'), planYaml());
  try {
    await seed(database.handle.db);
    const env = {
      DATABASE_URL: database.url,
      BATON_MAPPINGS: mappings,
      BATON_CONFIG: join(mappings, 'none.yaml'),
      BATON_AUTH: 'off', // loopback only: the benchmark measures the route, not token checks
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const baton = await startChild(
      fileURLToPath(new URL('./support/status-server.ts', import.meta.url)),
      [],
      env,
    );
    try {
      const statusUrl = `${baton.url}/api/plans/bench/status`;
      const first = await fetch(`${baton.url}/bench/uncached`).then(
        (r) => r.json() as Promise<{ ms: number; bytes: number }>,
      );
      const answer = await fetch(statusUrl);
      const body = await answer.text();
      if (answer.status !== 200)
        throw new Error(`status route answered ${answer.status}: ${body.slice(0, 200)}`);
      const ceiling = await startChild(
        fileURLToPath(new URL('./support/constant-server.ts', import.meta.url)),
        [],
        { CONSTANT_BODY: body },
      );
      try {
        await closedLoopLoad({ url: statusUrl, connections: CONNECTIONS, seconds: 2 }); // warm-up
        const { baton: measured, ceiling: limit } = await alternatingLoad(
          { url: statusUrl, connections: CONNECTIONS, seconds: SECONDS },
          { url: `${ceiling.url}/api/plans/bench/status`, connections: CONNECTIONS, seconds: SECONDS },
        );
        return {
          bench: 'status',
          items: ITEMS,
          phases: PHASES,
          open_handoffs: OPEN_HANDOFFS,
          approvals: APPROVALS,
          rps: measured.rps,
          ceiling_rps: limit.rps,
          ratio: Math.round((measured.rps / limit.rps) * 100) / 100,
          p50_ms: measured.p50_ms,
          p95_ms: measured.p95_ms,
          p99_ms: measured.p99_ms,
          errors: measured.errors,
          uncached_ms: first.ms,
          body_bytes: body.length,
        };
      } finally {
        await ceiling.stop();
      }
    } finally {
      await baton.stop();
    }
  } finally {
    await database.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
  process.exit(0);
}
