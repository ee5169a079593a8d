import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from './support/run-cli.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  deploy?: { replicas?: number };
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const text = readFileSync(join(REPO, 'docker-compose.yml'), 'utf8');
// Compose resolves YAML merge keys (`<<: *baton`) before validating; so does this parse.
const compose = parse(text, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const batonServices = services.filter(([, s]) => s.build !== undefined);

/** The Compose Specification's own schema (test/ops/fixtures/README.md says where it comes from). */
function specValidator() {
  const schema = JSON.parse(readFileSync(join(REPO, 'test/ops/fixtures/compose-spec.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The spec names draft-07 by its https address; Ajv ships draft-07 under the http one.
  ajv.addMetaSchema({ ...draft7, $id: schema.$schema });
  return ajv.compile(schema);
}

function dockerComposeAvailable(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('docker-compose.yml', () => {
  const validate = specValidator();

  it('validates against the Compose Specification schema', () => {
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is checked by a validator that refuses what the specification refuses', () => {
    const broken = structuredClone(compose);
    broken.services.api.depends_on = { postgres: { condition: 'when_ready' } };
    expect(validate(broken)).toBe(false);
  });

  it.skipIf(!dockerComposeAvailable())('passes `docker compose config`', () => {
    execFileSync('docker', ['compose', '-f', join(REPO, 'docker-compose.yml'), 'config', '--quiet'], {
      cwd: REPO,
      stdio: 'pipe',
    });
  });

  it('runs Postgres 17 with a named volume and a pg_isready health check', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toMatch(/^postgres:17(\b|$)/);
    const data = postgres.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.split(':')[0]);
    expect(JSON.stringify(postgres.healthcheck?.test)).toContain('pg_isready');
  });

  it('runs the API with `baton serve --no-worker`, as the README documents it', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(compose.services.api.command).toEqual(['serve', '--no-worker']);
    expect(readme).toContain(`baton ${compose.services.api.command!.join(' ')}`);
  });

  it('runs two workers with `baton worker`', () => {
    const workers = batonServices.filter(([, s]) => s.command?.[0] === 'worker');
    const replicas = workers.reduce((n, [, s]) => n + (s.deploy?.replicas ?? 1), 0);
    expect(replicas).toBe(2);
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('baton worker');
  });

  it('starts every Baton service after Postgres is healthy, configured by environment', () => {
    expect(batonServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    for (const [name, service] of batonServices) {
      expect(service.depends_on?.postgres?.condition, name).toBe('service_healthy');
      expect(service.environment?.DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    }
  });

  it('mounts baton.yaml and the mappings folder read-only where the environment points', () => {
    for (const [name, service] of batonServices) {
      const env = service.environment ?? {};
      expect(service.volumes, name).toContain(`./baton.yaml:${env.BATON_CONFIG}:ro`);
      expect(service.volumes, name).toContain(`./mappings:${env.BATON_MAPPINGS}:ro`);
    }
  });

  it('writes no secret into the file: secret-looking values are variable references', () => {
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/TOKEN|SECRET|PASSWORD/.test(key))
          expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+(:-[^}]*)?\}$/);
      }
    }
  });
});
