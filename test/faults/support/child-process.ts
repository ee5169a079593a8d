import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface TsChild {
  process: ChildProcess;
  /** stdout and stderr lines so far (the last 200), for failure messages. */
  output: string[];
  /** Resolves with the first line (from now on, or already seen) matching, rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  onLine(listener: (line: string) => void): void;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Runs a TypeScript file in its own Node process (`node --import tsx`), reading its lines. */
export function startTsChild(file: string, env: Record<string, string>, args: string[] = []): TsChild {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 200) output.shift();
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close', not 'exit': every line is read by then.
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    output,
    onLine: (listener) => listeners.push(listener),
    waitFor(pattern, timeoutMs) {
      for (const line of output) {
        const match = line.match(pattern);
        if (match) return Promise.resolve(match);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output.join('\n')}`)),
          timeoutMs,
        );
        listeners.push((line) => {
          const match = line.match(pattern);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          }
        });
        exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`exited (${code ?? signal}) before ${pattern}:\n${output.join('\n')}`));
        });
      });
    },
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
