import { z } from 'zod';

/**
 * Settings of a `kind: github` connection in baton.yaml. Secrets arrive as plain strings
 * (Baton resolves `${VAR}` before validation); numbers may arrive as strings for the same reason.
 */

const RepoName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name, e.g. acme/checkout');

const GitHubApp = z.object({
  /** The App's numeric id (or its client id, which GitHub also accepts as the JWT issuer). */
  appId: z.union([z.number().int().positive(), z.string().min(1)]),
  /** PEM text. A key pasted into an env var with literal `\n` sequences is repaired. */
  privateKey: z
    .string()
    .min(1)
    .transform((key) => key.replace(/\\n/g, '\n'))
    .refine(
      (key) => key.includes('-----BEGIN'),
      'expected a PEM private key (-----BEGIN … PRIVATE KEY-----)',
    ),
  installationId: z.coerce.number().int().positive(),
});

export const GitHubConfig = z
  .object({
    repos: z.array(RepoName).min(1),
    token: z.string().min(1).optional(),
    app: GitHubApp.optional(),
    webhookSecret: z.string().min(1),
    /** The secret being retired: deliveries signed with it are accepted while GitHub still uses it. */
    previousWebhookSecret: z.string().min(1).optional(),
    /** `https://HOST/api/v3` for GitHub Enterprise Server; the simulator's URL in tests. */
    baseUrl: z
      .url()
      .default('https://api.github.com')
      .transform((url) => url.replace(/\/+$/, '')),
    /** Hours between deletion reconciliation passes; 0 reconciles on every pull. */
    reconcileEveryHours: z.coerce.number().min(0).default(24),
    perPage: z.coerce.number().int().min(1).max(100).default(100),
    /**
     * How far back a repository's first pull reads: issues and pull requests updated in the last
     * `historyDays` days. Unset reads the whole history. Later pulls go on from their cursor.
     */
    historyDays: z.coerce.number().int().positive().optional(),
  })
  .refine((config) => (config.token === undefined) !== (config.app === undefined), {
    message: 'set exactly one of token or app',
    path: ['token'],
  });

export type GitHubConfig = z.infer<typeof GitHubConfig>;
