import https from 'node:https';
import tls from 'node:tls';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/**
 * The last link of the Graph client's middleware chain, replacing its HTTPMessageHandler (which
 * calls the global fetch). Node 24's fetch has no public per-request way to trust an extra CA
 * (its `dispatcher` wants an undici Agent, and the undici package is not a dependency;
 * `tls.setDefaultCACertificates` would change the whole process), while `node:https` takes a `ca`
 * per agent. So every Graph call goes through one keep-alive agent per connection that trusts the
 * public roots plus, when configured, the simulator's (or a TLS proxy's) certificate. nock
 * intercepts `https.request`, so tests see the same path production runs.
 */
export class HttpsTransport implements Middleware {
  private readonly agent: https.Agent;

  constructor(
    extraCa?: string,
    private readonly timeoutMs = 60_000,
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      ca: extraCa ? [...tls.rootCertificates, extraCa] : undefined,
    });
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    context.response = await this.send(url, context.options ?? {});
  }

  private send(url: string, options: RequestInit): Promise<Response> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        { method: options.method ?? 'GET', headers: plainHeaders(options.headers), agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(networkError(error)));
          response.on('end', () => {
            const status = response.statusCode ?? 502;
            const headers = new Headers();
            for (let i = 0; i < response.rawHeaders.length; i += 2) {
              headers.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
            }
            resolve(toResponse(status, response.statusMessage ?? '', headers, Buffer.concat(chunks)));
          });
        },
      );
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(
          Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      );
      request.on('error', (error) => reject(networkError(error)));
      const body = options.body;
      if (typeof body === 'string' || Buffer.isBuffer(body)) request.end(body);
      else request.end();
    });
  }
}

/**
 * The Graph client keeps the response headers (Retry-After) on its GraphError only when an error
 * body is Graph's JSON error object; a bare 503 from a proxy would lose them. So a non-JSON error
 * body is wrapped into that shape here.
 */
function toResponse(status: number, statusText: string, headers: Headers, body: Buffer): Response {
  const noBody = status === 204 || status === 205 || status === 304;
  if (status >= 400 && !(headers.get('content-type') ?? '').includes('json')) {
    headers.set('content-type', 'application/json');
    const message = body.toString('utf8').slice(0, 300) || statusText || `HTTP ${status}`;
    return new Response(JSON.stringify({ error: { code: `http_${status}`, message } }), {
      status,
      statusText,
      headers,
    });
  }
  return new Response(noBody ? null : new Uint8Array(body), { status, statusText, headers });
}

/** The Graph client copies `error.name` into GraphError.code: carry the network code there. */
function networkError(error: Error & { code?: string }): Error {
  const wrapped = new Error(error.message);
  wrapped.name = error.code ?? 'ECONNRESET';
  return wrapped;
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) {
    headers.forEach((value, key) => {
      out[key] = value;
    });
    return out;
  }
  if (Array.isArray(headers)) {
    for (const [key, value] of headers) out[key] = value;
    return out;
  }
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) out[key] = String(value);
  return out;
}
