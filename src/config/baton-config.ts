import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { findConnector } from '../connectors/kit/registry.js';
import { ConfigError } from './errors.js';

const ConnectionEntry = z.looseObject({
  kind: z.string().min(1),
  pollIntervalSeconds: z.number().int().min(5).default(300),
  enabled: z.boolean().default(true),
});

const BatonFile = z.strictObject({
  connections: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ -'), ConnectionEntry)
    .default({}),
});

export interface ConnectionConfig {
  name: string;
  kind: string;
  pollIntervalSeconds: number;
  enabled: boolean;
  /** The connector's settings, `${VAR}` resolved and validated by its schema. */
  settings: unknown;
  /** The settings as written, with `${VAR}` references kept (safe to store and show). */
  declared: Record<string, unknown>;
}

export interface BatonConfig {
  connections: ConnectionConfig[];
}

/** Replaces `${VAR}` in every string with the environment's value; a missing variable is an error. */
export function resolveReferences(value: unknown, env: NodeJS.ProcessEnv, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) throw new ConfigError(`${path}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((entry, i) => resolveReferences(entry, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, resolveReferences(entry, env, `${path}.${key}`)]),
    );
  }
  return value;
}

/** Loads baton.yaml (optional: without it, Baton runs with no connections). */
export function loadBatonConfig(file: string, env: NodeJS.ProcessEnv = process.env): BatonConfig {
  if (!existsSync(file)) return { connections: [] };
  return parseBatonConfig(readFileSync(file, 'utf8'), file, env);
}

export function parseBatonConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): BatonConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(`${file}: ${doc.errors[0].message}`);
  const parsed = BatonFile.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const connections = Object.entries(parsed.data.connections).map(([name, entry]) => {
    const { kind, pollIntervalSeconds, enabled, ...declared } = entry;
    const connector = findConnector(kind);
    if (!connector) throw new ConfigError(`${file}: connections.${name}: unknown kind "${kind}"`);
    const resolved = resolveReferences(declared, env, `${file}: connections.${name}`);
    const settings = connector.config.safeParse(resolved);
    if (!settings.success) {
      const issue = settings.error.issues[0];
      throw new ConfigError(`${file}: connections.${name}.${issue.path.join('.')}: ${issue.message}`);
    }
    return { name, kind, pollIntervalSeconds, enabled, settings: settings.data, declared };
  });
  return { connections };
}
