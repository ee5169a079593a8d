import { createServer } from 'node:net';
import { freePort } from '../store/database.js';

export const DEFAULT_PORT = 8080;

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** `--port` as asked (an error when taken); else 8080, or any free port when 8080 is taken. */
export async function choosePort(asked: number | undefined, host = '127.0.0.1'): Promise<number> {
  if (asked !== undefined) {
    if (!(await isFree(asked, host)))
      throw new Error(`port ${asked} on ${host} is taken; choose another with --port`);
    return asked;
  }
  return (await isFree(DEFAULT_PORT, host)) ? DEFAULT_PORT : freePort();
}
