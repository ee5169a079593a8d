import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError } from './errors.js';

/**
 * Connector credentials encrypted at rest in baton.yaml: `${enc:v1:<key id>:<base64>}`, AES-256-GCM
 * under a key that lives only in the environment (BATON_SECRET_KEY, 32 random bytes in base64).
 * The base64 holds iv (12 bytes) | ciphertext | tag (16 bytes); the version and key id are
 * authenticated too, so a reference cannot be moved under another key id. During a rotation,
 * BATON_SECRET_KEY_PREVIOUS still decrypts what the old key wrote.
 */

export const SECRET_KEY_VAR = 'BATON_SECRET_KEY';
export const PREVIOUS_SECRET_KEY_VAR = 'BATON_SECRET_KEY_PREVIOUS';

export interface SecretKey {
  /** First 8 hex characters of a hash of the key: which key wrote a reference. */
  id: string;
  key: Buffer;
}

export interface SecretKeys {
  current?: SecretKey;
  previous?: SecretKey;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Every encrypted reference in a text; groups: version, key id, payload. */
export const ENC_REFERENCE = /\$\{enc:([^:}]*):([^:}]*):([^}]*)\}/g;

const aad = (keyId: string) => Buffer.from(`baton-secret:${VERSION}:${keyId}`);

export function secretKey(base64: string, variable: string): SecretKey {
  const text = base64.trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new ConfigError(
      `${variable} must be 32 random bytes in base64 (e.g. \`baton secrets new-key\`), not ${key.length} bytes`,
    );
  }
  const id = createHash('sha256').update('baton-secret-key-id').update(key).digest('hex').slice(0, 8);
  return { id, key };
}

/** The keys the environment holds; an invalid one is a ConfigError naming its variable. */
export function secretKeysFromEnv(env: NodeJS.ProcessEnv): SecretKeys {
  const current = env[SECRET_KEY_VAR];
  const previous = env[PREVIOUS_SECRET_KEY_VAR];
  return {
    current: current ? secretKey(current, SECRET_KEY_VAR) : undefined,
    previous: previous ? secretKey(previous, PREVIOUS_SECRET_KEY_VAR) : undefined,
  };
}

export function newSecretKey(): string {
  return randomBytes(32).toString('base64');
}

/** The `${enc:…}` reference for a value, under the given key. */
export function encryptSecret(plain: string, key: SecretKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(aad(key.id));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  return `\${enc:${VERSION}:${key.id}:${payload}}`;
}

function keyFor(keyId: string, keys: SecretKeys): SecretKey {
  const key = [keys.current, keys.previous].find((k) => k?.id === keyId);
  if (key) return key;
  if (!keys.current && !keys.previous)
    throw new ConfigError(`an \${enc:…} value needs ${SECRET_KEY_VAR} in the environment`);
  throw new ConfigError(
    `an \${enc:…} value was written with key ${keyId}, which is neither ${SECRET_KEY_VAR} nor ${PREVIOUS_SECRET_KEY_VAR}`,
  );
}

/** The clear text of one reference's parts (version, key id, payload). */
export function decryptParts(version: string, keyId: string, payload: string, keys: SecretKeys): string {
  if (version !== VERSION) throw new ConfigError(`unknown \${enc:${version}:…} version; expected ${VERSION}`);
  const key = keyFor(keyId, keys);
  const bytes = Buffer.from(payload, 'base64');
  if (!/^[A-Za-z0-9+/]+=*$/.test(payload) || bytes.length < IV_BYTES + TAG_BYTES) {
    throw new ConfigError(`an \${enc:…} value is not valid base64 of iv, ciphertext and tag`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new ConfigError(`an \${enc:…} value under key ${keyId} does not decrypt (altered or truncated)`);
  }
}

/** Re-encrypts every `${enc:…}` in a text with the current key; everything else is left as written. */
export function reencryptAll(text: string, keys: SecretKeys): { text: string; count: number } {
  const current = keys.current;
  if (!current) throw new ConfigError(`${SECRET_KEY_VAR} is not set: there is no key to rotate to`);
  let count = 0;
  const rotated = text.replace(ENC_REFERENCE, (_match, version: string, keyId: string, payload: string) => {
    count++;
    return encryptSecret(decryptParts(version, keyId, payload, keys), current);
  });
  return { text: rotated, count };
}

/** Setting names that hold secrets (tokens, secrets, passwords, keys, Graph's clientState). */
export const SECRET_SETTING = /token|secret|password|privatekey|keyjson|clientstate|apikey|^pem$/i;

/** Every secret value in a connection's resolved settings, longest first. */
export function secretValues(settings: unknown, key = ''): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, name: string) => {
    if (typeof value === 'string' && SECRET_SETTING.test(name) && value.length >= 6) found.add(value);
    else if (Array.isArray(value)) for (const item of value) walk(item, name);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(settings, key);
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Blanks known secret values inside free text — an error message from a tool or a proxy that
 * echoes the credentials it was sent — before the text is logged or stored for the API.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
