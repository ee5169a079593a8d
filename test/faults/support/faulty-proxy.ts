import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to one request:
 * - `500`: answers 500 itself;
 * - `429`: answers 429 with Retry-After: 1;
 * - `stall`: never answers (the client's timeout must give up);
 * - `stall-body`: forwards the headers, then never sends the body;
 * - `truncate`: forwards the headers with the full Content-Length, half the body, then drops the connection;
 * - `garble`: forwards half the body as a complete chunked response (valid HTTP, broken JSON);
 * - `hold`: keeps the request until `release()`, then forwards it (dropped if its client went away).
 */
export type Fault = '500' | '429' | 'stall' | 'stall-body' | 'truncate' | 'garble' | 'hold';

export interface FaultyProxy {
  url: string;
  /** Faults applied so far, by kind. */
  applied: Record<Fault, number>;
  requests: number;
  /** Requests being held right now. */
  holding: number;
  /** Lets every held request through. */
  release(): void;
  close(): Promise<void>;
}

/** A tiny HTTP proxy in front of a simulator; `decide(n)` picks the fault (if any) for the n-th request. */
export async function startFaultyProxy(
  target: string,
  decide: (n: number, req: IncomingMessage) => Fault | undefined,
): Promise<FaultyProxy> {
  const applied: Record<Fault, number> = {
    '500': 0,
    '429': 0,
    stall: 0,
    'stall-body': 0,
    truncate: 0,
    garble: 0,
    hold: 0,
  };
  const sockets = new Set<Socket>();
  const state = { requests: 0, holding: 0 };
  let release = () => {};
  let released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createServer(async (req, res) => {
    const fault = decide(++state.requests, req);
    if (fault) applied[fault]++;
    if (fault === 'hold') {
      state.holding++;
      await released;
      state.holding--;
      if (req.socket.destroyed) return;
    }
    handle(target, fault === 'hold' ? undefined : fault, req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    applied,
    get requests() {
      return state.requests;
    },
    get holding() {
      return state.holding;
    },
    release() {
      release();
      released = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(target: string, fault: Fault | undefined, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (fault === 'stall') return;
  if (fault === '500') return json(res, 500, { message: 'Server Error' });
  if (fault === '429') {
    return json(res, 429, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined && key !== 'host' && key !== 'connection')
      headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  // Encoded bodies would not be cut where we think: ask for identity.
  headers.set('accept-encoding', 'identity');
  const answer = await fetch(`${target}${req.url}`, {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
  const body = Buffer.from(await answer.arrayBuffer());
  const out: Record<string, string> = {};
  answer.headers.forEach((value, key) => {
    if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection') out[key] = value;
  });
  // Next-page links lead back through the proxy, as they would through any gateway.
  if (out.link) out.link = out.link.replaceAll(target, proxyOrigin(req));
  const half = body.subarray(0, Math.floor(body.length / 2));
  if (fault === 'stall-body' && body.length > 0) {
    res.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
    res.flushHeaders();
    return;
  }
  if (fault === 'truncate' && body.length > 0) {
    res.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
    res.write(half, () => res.destroy());
    return;
  }
  if (fault === 'garble' && body.length > 0) {
    res.writeHead(answer.status, out);
    res.end(half);
    return;
  }
  res.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
  res.end(body);
}

function proxyOrigin(req: IncomingMessage): string {
  return `http://${req.headers.host}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}
