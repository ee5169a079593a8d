import pino, { type Logger } from 'pino';

/** Paths pino blanks in every log line: secrets never reach logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-goog-channel-token"]',
  '*.token',
  '*.apiToken',
  '*.clientSecret',
  '*.privateKey',
  '*.webhookSecret',
  '*.previousWebhookSecret',
  '*.clientState',
  '*.channelToken',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.bearerToken',
  '*.keyJson',
  // ops: a connection's config logged whole (`{ connection: { settings: { token } } }`) and the
  // request headers HTTP clients keep on their errors (axios/gaxios `config`, octokit `request`).
  ...[
    'token',
    'apiToken',
    'clientSecret',
    'privateKey',
    'webhookSecret',
    'password',
    'refreshToken',
    'accessToken',
  ].map((key) => `*.settings.${key}`),
  // security: the other secret settings, and the nested ones (Jira auth, GitHub App, Drive auth,
  // Outlook certificate), whether logged as `{ settings }` or `{ connection: { settings } }`.
  ...['clientState', 'channelToken', 'previousWebhookSecret', 'bearerToken', 'keyJson'].map(
    (key) => `*.settings.${key}`,
  ),
  ...[
    'auth.apiToken',
    'auth.bearerToken',
    'auth.accessToken',
    'auth.oauth.clientSecret',
    'auth.oauth.refreshToken',
    'auth.serviceAccount.keyJson',
    'app.privateKey',
    'certificate.pem',
  ].flatMap((path) => [`settings.${path}`, `*.settings.${path}`]),
  '*.config.headers.Authorization',
  '*.config.headers.authorization',
  '*.request.headers.authorization',
  '*.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (!destination && process.stdout.isTTY && level !== 'silent') {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss' } },
    });
  }
  return destination ? pino(options, destination) : pino(options);
}
