import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { encryptValue, readValue, registerSecretCommands, rotateFile } from '../../src/cli/secrets.js';
import { parseBatonConfig } from '../../src/config/baton-config.js';
import { ConfigError } from '../../src/config/errors.js';
import {
  decryptParts,
  ENC_REFERENCE,
  encryptSecret,
  newSecretKey,
  reencryptAll,
  secretKey,
} from '../../src/config/secret-box.js';
import { registerFourTools } from './support/four-tools.js';

const KEY = newSecretKey();
const OLD = newSecretKey();
const key = secretKey(KEY, 'BATON_SECRET_KEY');
const old = secretKey(OLD, 'BATON_SECRET_KEY_PREVIOUS');

const parts = (reference: string) => {
  const match = new RegExp(ENC_REFERENCE.source).exec(reference);
  if (!match) throw new Error(`not a reference: ${reference}`);
  return [match[1], match[2], match[3]] as const;
};
const decrypt = (reference: string, keys = { current: key }) => decryptParts(...parts(reference), keys);

describe('secret box (AES-256-GCM)', () => {
  it('writes an enc:v1:<key id>:<base64> reference that decrypts to the value and never contains it', () => {
    const reference = encryptSecret('ghp_secret value ✓', key);
    expect(reference).toMatch(/^\$\{enc:v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*\}$/);
    expect(reference).not.toContain('ghp_secret');
    expect(decrypt(reference)).toBe('ghp_secret value ✓');
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key)); // a fresh iv each time
  });

  it('refuses a reference whose ciphertext was altered', () => {
    const [version, id, payload] = parts(encryptSecret('value', key));
    const bytes = Buffer.from(payload, 'base64');
    bytes[14] ^= 1;
    expect(() => decryptParts(version, id, bytes.toString('base64'), { current: key })).toThrow(
      /does not decrypt/,
    );
  });

  it('refuses a reference moved under another key id', () => {
    const [version, , payload] = parts(encryptSecret('value', key));
    expect(() => decryptParts(version, old.id, payload, { current: key, previous: old })).toThrow(
      ConfigError,
    );
  });

  it('decrypts with the previous key during a rotation, and names the unknown key otherwise', () => {
    const reference = encryptSecret('value', old);
    expect(decrypt(reference, { current: key, previous: old } as never)).toBe('value');
    expect(() => decrypt(reference)).toThrow(new RegExp(`written with key ${old.id}`));
  });

  it('refuses a key that is not 32 bytes of base64, naming the variable', () => {
    expect(() => secretKey(Buffer.alloc(16).toString('base64'), 'BATON_SECRET_KEY')).toThrow(
      /BATON_SECRET_KEY must be 32/,
    );
    expect(() => secretKey('not base64 at all!', 'BATON_SECRET_KEY')).toThrow(ConfigError);
  });

  it('rotates every reference of a text to the current key and leaves the rest as written', () => {
    const text = `# comment\na: ${encryptSecret('one', old)}\nb: plain\nc: "x ${encryptSecret('two', key)}"\n`;
    const rotated = reencryptAll(text, { current: key, previous: old });
    expect(rotated.count).toBe(2);
    expect(rotated.text).toContain('# comment\n');
    expect(rotated.text).toContain('b: plain\n');
    const references = [...rotated.text.matchAll(ENC_REFERENCE)].map((m) => m[0]);
    expect(references.map((r) => parts(r)[1])).toEqual([key.id, key.id]);
    expect(references.map((r) => decrypt(r))).toEqual(['one', 'two']);
  });
});

describe('encrypted references in baton.yaml', () => {
  registerFourTools();
  const yaml = (token: string) =>
    `connections:\n  gh:\n    kind: github\n    repos: [acme/checkout]\n    token: ${token}\n    webhookSecret: w\n`;

  it('is decrypted at load, and stored and shown only as the reference', () => {
    const reference = encryptSecret('ghp_from_the_box', key);
    const [connection] = parseBatonConfig(yaml(reference), 'baton.yaml', {
      BATON_SECRET_KEY: KEY,
    }).connections;
    expect((connection.settings as { token: string }).token).toBe('ghp_from_the_box');
    expect(connection.declared.token).toBe(reference);
  });

  it('is a ConfigError naming the connection when the key is missing or wrong', () => {
    const reference = encryptSecret('x', key);
    expect(() => parseBatonConfig(yaml(reference), 'baton.yaml', {})).toThrow(
      /connections\.gh\.token: .*BATON_SECRET_KEY/,
    );
    expect(() => parseBatonConfig(yaml(reference), 'baton.yaml', { BATON_SECRET_KEY: OLD })).toThrow(
      ConfigError,
    );
  });
});

describe('baton secrets (CLI)', () => {
  it('encrypts a value read from stdin and rotates a baton.yaml to a new key', async () => {
    const value = await readValue(Readable.from(['jira-api-token-from-stdin\n']));
    const reference = encryptValue(value, { BATON_SECRET_KEY: OLD });
    expect(decrypt(reference, { current: old })).toBe('jira-api-token-from-stdin');

    const dir = await mkdtemp(join(tmpdir(), 'baton-secrets-'));
    const file = join(dir, 'baton.yaml');
    await writeFile(file, `connections:\n  j:\n    token: ${reference} # keep me\n`);
    expect(await rotateFile(file, { BATON_SECRET_KEY: KEY, BATON_SECRET_KEY_PREVIOUS: OLD })).toBe(1);
    const rotated = await readFile(file, 'utf8');
    expect(rotated).toContain('# keep me');
    const [now] = [...rotated.matchAll(ENC_REFERENCE)].map((m) => m[0]);
    expect(parts(now)[1]).toBe(key.id);
    expect(decrypt(now)).toBe('jira-api-token-from-stdin');
  });

  it('refuses to encrypt without a key or without a value', () => {
    expect(() => encryptValue('x', {})).toThrow(/BATON_SECRET_KEY is not set/);
    expect(() => encryptValue('', { BATON_SECRET_KEY: KEY })).toThrow(/empty/);
  });

  it('registers encrypt, rotate and new-key under `baton secrets`', async () => {
    const program = new Command('baton').exitOverride();
    registerSecretCommands(program);
    const secrets = program.commands.find((c) => c.name() === 'secrets');
    expect(secrets?.commands.map((c) => c.name())).toEqual(['encrypt', 'rotate', 'new-key']);
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    await program.parseAsync(['secrets', 'new-key'], { from: 'user' });
    const generated = String(printed.mock.calls[0]?.[0]);
    printed.mockRestore();
    expect(secretKey(generated, 'BATON_SECRET_KEY').key).toHaveLength(32);
  });
});
