import { createServer, type Server } from 'node:http';
import { collectProcessDefaults, processRegistry } from '../runtime/metrics.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * For `baton worker --metrics-port`: a worker serves no API, so its job metrics (and /healthz for
 * the container's health check) come from this small server. Process metrics only: the
 * database gauges come from the API's /metrics.
 */
export async function startMetricsServer(port: number, host: string): Promise<MetricsServer> {
  collectProcessDefaults();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      processRegistry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': processRegistry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else if (request.method === 'GET' && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
