import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import {
  encryptSecret,
  newSecretKey,
  reencryptAll,
  SECRET_KEY_VAR,
  secretKeysFromEnv,
} from '../config/secret-box.js';

/** All of stdin; one trailing newline (what `echo` and editors add) is not part of the value. */
export async function readValue(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The `${enc:…}` reference for a value, under BATON_SECRET_KEY. */
export function encryptValue(value: string, env: NodeJS.ProcessEnv = process.env): string {
  if (value === '') throw new ConfigError('nothing to encrypt: the value read from stdin is empty');
  const { current } = secretKeysFromEnv(env);
  if (!current) throw new ConfigError(`${SECRET_KEY_VAR} is not set (create one: baton secrets new-key)`);
  return encryptSecret(value, current);
}

/** Re-encrypts every `${enc:…}` of a file with the current key; the file is replaced atomically. */
export async function rotateFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read ${file} (${error.code ?? error.message})`);
  });
  const rotated = reencryptAll(text, secretKeysFromEnv(env));
  if (rotated.count === 0) return 0;
  const temporary = `${file}.rotating-${process.pid}`;
  await writeFile(temporary, rotated.text, { mode: (await stat(file)).mode });
  await rename(temporary, file);
  return rotated.count;
}

/** `baton secrets encrypt | rotate <file> | new-key`. */
export function registerSecretCommands(program: Command): void {
  const secrets = program
    .command('secrets')
    .description(
      `connector credentials encrypted at rest in baton.yaml (\${enc:…}, key in BATON_SECRET_KEY)`,
    );
  secrets
    .command('encrypt')
    .description(`read a value from stdin and print its \${enc:…} reference for baton.yaml`)
    .action(async () => {
      if (process.stdin.isTTY) process.stderr.write('value (end with Ctrl-D): ');
      console.log(encryptValue(await readValue()));
    });
  secrets
    .command('rotate <file>')
    .description(
      `re-encrypt every \${enc:…} in a baton.yaml with BATON_SECRET_KEY (the old key as BATON_SECRET_KEY_PREVIOUS)`,
    )
    .action(async (file: string) => {
      const count = await rotateFile(file);
      const { current } = secretKeysFromEnv(process.env);
      console.log(`${file}: ${count} value(s) re-encrypted with key ${current?.id}`);
    });
  secrets
    .command('new-key')
    .description('print a new random key for BATON_SECRET_KEY')
    .action(() => console.log(newSecretKey()));
}
