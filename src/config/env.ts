import { z } from 'zod';
import { ConfigError } from './errors.js';

const Env = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional()
    .describe('Postgres server to use. Unset: an embedded Postgres under BATON_DATA_DIR/pg.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('HTTP port.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on.'),
  BATON_DATA_DIR: z.string().min(1).default('.baton').describe('Local state: the embedded database.'),
  BATON_CONFIG: z.string().min(1).default('baton.yaml').describe('Connections file (optional).'),
  BATON_MAPPINGS: z.string().min(1).default('mappings').describe('Folder of plan mapping files.'),
  BATON_PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe('URL people and tools reach Baton at (links, webhook URLs).'),
  BATON_AUTH: z
    .enum(['required', 'off'])
    .default('required')
    .describe(
      'API and page access: bearer tokens / share links (required), or off — allowed only on a loopback HOST.',
    ),
  BATON_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'true only behind a reverse proxy you run: then X-Forwarded-Proto/-For are believed (HSTS, Secure cookies, client address).',
    ),
  BATON_SECRET_KEY: z
    .string()
    .optional()
    .describe('Base64 32-byte key that decrypts `${enc:…}` secrets in baton.yaml (`baton secrets new-key`).'),
  BATON_SECRET_KEY_PREVIOUS: z
    .string()
    .optional()
    .describe('The key being rotated out: still decrypts what it wrote (`baton secrets rotate`).'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level (pino). Logs are JSON; pretty when stdout is a terminal.'),
});
export type Env = z.infer<typeof Env>;
export const EnvSchema = Env;

/** Reads and validates the environment; a bad value names the variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = Env.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
  }
  const env = result.data;
  if (env.BATON_AUTH === 'off' && !['127.0.0.1', 'localhost', '::1'].includes(env.HOST)) {
    throw new ConfigError(
      `BATON_AUTH: "off" is only allowed when HOST is a loopback address (HOST is ${env.HOST})`,
    );
  }
  return env;
}

export function publicUrl(env: Env): string {
  return env.BATON_PUBLIC_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
}
