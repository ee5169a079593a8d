import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphError } from './simulator-wire.js';

/** HTTP plumbing of the simulator: Graph-shaped answers, faults, request reading. */

export interface Fault {
  status: 429 | 503;
  retryAfterSeconds?: number;
}

export function sendFault(res: ServerResponse, fault: Fault): undefined {
  const headers: Record<string, string> =
    fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  if (fault.status === 429) {
    // The throttling answer from Microsoft's docs (graph/throttling).
    return send(
      res,
      429,
      {
        error: {
          code: 'TooManyRequests',
          innerError: {
            code: '429',
            date: new Date().toISOString().slice(0, 19),
            message: 'Please retry after',
            'request-id': randomUUID(),
            status: '429',
          },
          message: 'Please retry again later.',
        },
      },
      headers,
    );
  }
  return send(
    res,
    503,
    graphError('ServiceNotAvailable', 'The service is temporarily unavailable. Please retry later.'),
    headers,
  );
}

export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): undefined {
  const common = { 'request-id': randomUUID(), ...headers };
  if (body === undefined) {
    res.writeHead(status, common).end();
    return;
  }
  res
    .writeHead(status, {
      'content-type':
        'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
      ...common,
    })
    .end(JSON.stringify(body));
}

export function param(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
