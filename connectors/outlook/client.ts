import { createHash } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { AuthenticationProvider, Client } from '@microsoft/microsoft-graph-client';
import { normaliseHeaders, onFirstUse } from '../../src/connectors/kit/index.js';
import { graphEndpoint, type OutlookConfig } from './config.js';
import { HttpsTransport } from './transport.js';

/**
 * The official client (`@microsoft/microsoft-graph-client` 3) with a custom middleware chain:
 * authentication → telemetry → our https transport. The default chain's RetryHandler (which
 * honours Retry-After up to 3 retries) and RedirectHandler are left out on purpose: the kit's
 * pacer (`ctx.http.run`) is the one retry policy, so a 429 is never retried twice over.
 *
 * Clients are kept per credential and base URL, so the credential's token cache (the
 * `@azure/identity` credential caches and refreshes the app-only token) survives across pulls.
 */
const clients = new Map<string, Client>();

const graphSdk = onFirstUse<typeof import('@microsoft/microsoft-graph-client')>(
  import.meta.url,
  '@microsoft/microsoft-graph-client',
);
const graphTokenAuth = onFirstUse<
  typeof import('@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js')
>(import.meta.url, '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js');
const azureIdentity = onFirstUse<typeof import('@azure/identity')>(import.meta.url, '@azure/identity');

export function graphClient(config: OutlookConfig): Client {
  const key = clientKey(config);
  let client = clients.get(key);
  if (!client) {
    client = buildClient(config);
    clients.set(key, client);
    // Settings changes leave old clients behind; keep the map from growing without bound.
    if (clients.size > 64) clients.delete(clients.keys().next().value!);
  }
  return client;
}

function buildClient(config: OutlookConfig): Client {
  const endpoint = graphEndpoint(config);
  const { AuthenticationHandler, Client, TelemetryHandler } = graphSdk();
  return Client.initWithMiddleware({
    // The client links the array in order: authentication → telemetry → transport.
    middleware: [
      new AuthenticationHandler(authProvider(config, endpoint.scope)),
      new TelemetryHandler(),
      new HttpsTransport(config.tlsCaCertificate),
    ],
    baseUrl: `${endpoint.origin}/`,
    defaultVersion: endpoint.version,
    // Without this the client silently drops the Authorization header for non-Graph hosts.
    customHosts: isGraphHost(endpoint.hostname) ? undefined : new Set([endpoint.hostname]),
  });
}

function authProvider(config: OutlookConfig, scope: string): AuthenticationProvider {
  if (config.accessToken) {
    const token = config.accessToken;
    return { getAccessToken: async () => token };
  }
  const options = config.authorityHost ? { authorityHost: config.authorityHost } : {};
  const tenantId = config.tenantId!;
  const clientId = config.clientId!;
  const { ClientCertificateCredential, ClientSecretCredential } = azureIdentity();
  let credential: TokenCredential;
  if (config.certificate?.pem) {
    credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificate: config.certificate.pem },
      options,
    );
  } else if (config.certificate?.path) {
    credential = new ClientCertificateCredential(
      tenantId,
      clientId,
      { certificatePath: config.certificate.path },
      options,
    );
  } else {
    credential = new ClientSecretCredential(tenantId, clientId, config.clientSecret!, options);
  }
  return new (graphTokenAuth().TokenCredentialAuthenticationProvider)(credential, { scopes: [scope] });
}

const GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

function isGraphHost(hostname: string): boolean {
  return GRAPH_HOSTS.has(hostname.toLowerCase());
}

function clientKey(config: OutlookConfig): string {
  const material = JSON.stringify([
    config.baseUrl,
    config.tenantId,
    config.clientId,
    config.clientSecret,
    config.certificate,
    config.accessToken,
    config.authorityHost,
    config.tlsCaCertificate,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * A failed Graph call in the shape the kit's pacer reads (`status`, `headers`, `code`). The Graph
 * client reports "no response" as statusCode -1, which the pacer would take for a final 4xx-like
 * answer; here it becomes a network failure (retried) or, for credential errors, a 401 (final).
 */
export class GraphHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly headers: Record<string, string | undefined>,
    /** Graph's error code (`syncStateNotFound`, `TooManyRequests` …) or a network code. */
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

const CREDENTIAL_ERRORS = new Set([
  'AuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
]);

export function toGraphHttpError(error: unknown): unknown {
  const { GraphClientError, GraphError } = graphSdk();
  if (error instanceof GraphError) {
    const code = error.code ?? undefined;
    if (error.statusCode > 0) {
      return new GraphHttpError(error.message, error.statusCode, normaliseHeaders(error.headers), code);
    }
    if (code && CREDENTIAL_ERRORS.has(code)) return new GraphHttpError(error.message, 401, {}, code);
    return new GraphHttpError(error.message || 'no response', undefined, {}, code ?? 'ECONNRESET');
  }
  if (error instanceof GraphClientError) return new GraphHttpError(error.message, 401, {}, error.name);
  return error;
}

/** Runs one Graph request and rethrows its failure as a GraphHttpError. */
export async function graphCall<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toGraphHttpError(error);
  }
}

/** Delta answers "start over" with 410, or a 4xx carrying one of these codes (delta-query-overview). */
export function isResyncRequired(error: unknown): boolean {
  if (!(error instanceof GraphHttpError)) return false;
  if (error.status === 410) return true;
  return (
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    /^(syncStateNotFound|syncStateInvalid|resyncRequired)$/i.test(error.code ?? '')
  );
}

/** Path segment for a mailbox: UPNs keep their `@`, anything else is escaped. */
export function userPath(user: string): string {
  return encodeURIComponent(user).replace(/%40/g, '@');
}
