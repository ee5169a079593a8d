import { readFileSync } from 'node:fs';
import type { drive_v3 } from '@googleapis/drive';
import type { OAuth2Client } from 'google-auth-library';
import { onFirstUse } from '../../src/connectors/kit/index.js';
import { type DriveConfig, scopesFor } from './config.js';

/**
 * Builds the official Drive v3 client from a connection's settings. The kit pacer
 * (ctx.http.run) is the only retry policy: gaxios retries are switched off both on API calls
 * (`retry: false`) and inside the auth client's transporter, whose token requests would
 * otherwise carry google-auth-library's own retry config.
 */
const googleDrive = onFirstUse<typeof import('@googleapis/drive')>(import.meta.url, '@googleapis/drive');
const googleAuth = onFirstUse<typeof import('google-auth-library')>(import.meta.url, 'google-auth-library');

export function buildDriveClient(config: DriveConfig): drive_v3.Drive {
  return googleDrive().drive({
    version: 'v3',
    auth: buildAuth(config),
    rootUrl: config.rootUrl,
    retry: false,
  });
}

export function buildAuth(config: DriveConfig): OAuth2Client {
  const { auth } = config;
  const { JWT, OAuth2Client } = googleAuth();
  let client: OAuth2Client;
  if ('serviceAccount' in auth) {
    const key = readServiceAccountKey(auth.serviceAccount.keyJson);
    client = new JWT({
      email: key.client_email,
      key: key.private_key,
      keyId: key.private_key_id,
      scopes: scopesFor(config),
      subject: auth.serviceAccount.subject,
    });
  } else if ('oauth' in auth) {
    client = new OAuth2Client({ clientId: auth.oauth.clientId, clientSecret: auth.oauth.clientSecret });
    client.setCredentials({ refresh_token: auth.oauth.refreshToken });
  } else {
    client = new OAuth2Client();
    client.setCredentials({ access_token: auth.accessToken });
  }
  client.transporter.interceptors.request.add({
    resolved: async (options) => {
      options.retry = false;
      options.retryConfig = undefined;
      return options;
    },
  });
  return client;
}

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** The setting holds the key JSON itself or the path of a file holding it. */
export function readServiceAccountKey(setting: string): ServiceAccountKey {
  const text = setting.trimStart().startsWith('{') ? setting : readKeyFile(setting);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('auth.serviceAccount.keyJson is neither key JSON nor a path to a key JSON file');
  }
  const key = parsed as Partial<ServiceAccountKey>;
  if (typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new Error('the service account key lacks client_email or private_key');
  }
  return key as ServiceAccountKey;
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the service account key file: ${(error as NodeJS.ErrnoException).code}`);
  }
}

/** One client per validated config object: the auth client keeps its token between pulls. */
const clients = new WeakMap<DriveConfig, drive_v3.Drive>();

export function driveClientFor(config: DriveConfig): drive_v3.Drive {
  let client = clients.get(config);
  if (!client) {
    client = buildDriveClient(config);
    clients.set(config, client);
  }
  return client;
}
