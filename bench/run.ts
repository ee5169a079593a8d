import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- NAME` runs bench/NAME.ts; `npm run bench` runs them all. Each benchmark
 * prints one JSON summary as its last line (PERFORMANCE.md).
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!available.includes(name)) {
    console.error(`no benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
for (const name of wanted.length > 0 ? wanted : available) {
  console.error(`\n== bench ${name}`);
  const module = (await import(`./${name}.ts`)) as { run: () => Promise<Record<string, unknown>> };
  const summary = await module.run();
  console.log(JSON.stringify(summary));
}
process.exit(0);
