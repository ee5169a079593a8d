import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { findConnector } from '../connectors/kit/registry.js';
import { ConfigError } from './errors.js';
import { findRefusedUrl } from './outbound-url.js';
import { decryptParts, SECRET_SETTING, type SecretKeys, secretKeysFromEnv } from './secret-box.js';

const ConnectionEntry = z.looseObject({
  kind: z.string().min(1),
  pollIntervalSeconds: z.number().int().min(5).default(300),
  enabled: z.boolean().default(true),
  /** security: webhook deliveries accepted per minute for this connection; more get 429. */
  webhookRateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(600),
  /** security: lets URL settings point at link-local / metadata addresses (see outbound-url.ts). */
  allowPrivateNetwork: z.boolean().default(false),
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
  /** Webhook deliveries accepted per minute (default 600). */
  webhookRateLimitPerMinute?: number;
  /** URL settings may point at link-local and metadata addresses (default false). */
  allowPrivateNetwork?: boolean;
  /** The connector's settings, references resolved and validated by its schema. */
  settings: unknown;
  /**
   * The settings as written, with `${VAR}`, `${file:…}` and `${enc:…}` references kept and secrets
   * written in clear replaced by `[redacted]` (safe to store and show).
   */
  declared: Record<string, unknown>;
}

export interface BatonConfig {
  connections: ConnectionConfig[];
}

/** `${VAR}`, `${file:/path}` or `${enc:v1:<key id>:<base64>}`. */
const REFERENCE = /\$\{(?:([A-Za-z_][A-Za-z0-9_]*)|file:([^}]+)|enc:([^:}]*):([^:}]*):([^}]*))\}/g;

export interface ReferenceSources {
  env: NodeJS.ProcessEnv;
  /** Relative `${file:…}` paths start here (the folder of baton.yaml). */
  baseDir?: string;
}

/** Resolves references once; each file is read once per load, the keys parsed on first use. */
function referenceResolver(sources: ReferenceSources) {
  const files = new Map<string, string>();
  let keys: SecretKeys | undefined;
  const readSecretFile = (path: string, where: string) => {
    const full = resolve(sources.baseDir ?? '.', path.trim());
    let text = files.get(full);
    if (text === undefined) {
      try {
        text = readFileSync(full, 'utf8').replace(/[\r\n]+$/, '');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        throw new ConfigError(`${where}: cannot read secret file ${full} (${code})`);
      }
      files.set(full, text);
    }
    return text;
  };
  return (text: string, where: string) =>
    text.replace(
      REFERENCE,
      (_m, name?: string, file?: string, version?: string, id?: string, payload?: string) => {
        if (name !== undefined) {
          const found = sources.env[name];
          if (found === undefined) throw new ConfigError(`${where}: environment variable ${name} is not set`);
          return found;
        }
        if (file !== undefined) return readSecretFile(file, where);
        try {
          keys ??= secretKeysFromEnv(sources.env);
          return decryptParts(version ?? '', id ?? '', payload ?? '', keys);
        } catch (error) {
          throw new ConfigError(`${where}: ${(error as Error).message}`);
        }
      },
    );
}

/**
 * Replaces every reference in every string; a missing variable or file, or a secret that does not
 * decrypt, is a ConfigError naming `path` (the connection and setting).
 */
export function resolveReferences(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string,
  baseDir?: string,
): unknown {
  const sources: ReferenceSources = { env, baseDir };
  const resolveText = referenceResolver(sources);
  const walk = (entry: unknown, where: string): unknown => {
    if (typeof entry === 'string') return resolveText(entry, where);
    if (Array.isArray(entry)) return entry.map((item, i) => walk(item, `${where}[${i}]`));
    if (entry && typeof entry === 'object')
      return Object.fromEntries(
        Object.entries(entry).map(([key, item]) => [key, walk(item, `${where}.${key}`)]),
      );
    return entry;
  };
  return walk(value, path);
}

/** The declared settings with secrets written in clear blanked: references are kept, values never. */
function declaredForm(value: unknown, key = ''): unknown {
  if (typeof value === 'string')
    return SECRET_SETTING.test(key) && !/\$\{[^}]+\}/.test(value) ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((item) => declaredForm(item, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, declaredForm(item, k)]));
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
  const baseDir = dirname(resolve(file));
  const connections = Object.entries(parsed.data.connections).map(([name, entry]) => {
    const {
      kind,
      pollIntervalSeconds,
      enabled,
      webhookRateLimitPerMinute,
      allowPrivateNetwork,
      ...declared
    } = entry;
    const connector = findConnector(kind);
    if (!connector) throw new ConfigError(`${file}: connections.${name}: unknown kind "${kind}"`);
    const resolved = resolveReferences(declared, env, `${file}: connections.${name}`, baseDir);
    const settings = connector.config.safeParse(resolved);
    if (!settings.success) {
      const issue = settings.error.issues[0];
      throw new ConfigError(`${file}: connections.${name}.${issue.path.join('.')}: ${issue.message}`);
    }
    const refused = findRefusedUrl(settings.data, { allowPrivateNetwork });
    if (refused) {
      throw new ConfigError(
        `${file}: connections.${name}.${refused.path.join('.')}: ${refused.reason}; set allowPrivateNetwork: true on the connection if this is intended`,
      );
    }
    return {
      name,
      kind,
      pollIntervalSeconds,
      enabled,
      webhookRateLimitPerMinute,
      allowPrivateNetwork,
      settings: settings.data,
      declared: declaredForm(declared) as Record<string, unknown>,
    };
  });
  return { connections };
}
