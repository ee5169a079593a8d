import { z } from 'zod';

/**
 * Settings of a `kind: outlook` connection in baton.yaml. Secrets arrive as plain strings (Baton
 * resolves `${VAR}` before validation); numbers and booleans may arrive as strings for the same reason.
 */

const Mailbox = z.object({
  /** UPN / primary SMTP address (or the user's object id). App-only tokens cannot use `/me`. */
  user: z.string().min(1),
  /** Well-known folder names (inbox, sentitems, archive …) or folder ids; each is one delta stream. */
  folders: z.array(z.string().min(1)).min(1).default(['inbox', 'sentitems']),
  calendars: z.stringbool().or(z.boolean()).default(true),
});
export type MailboxConfig = z.infer<typeof Mailbox>;

const phrases = z
  .array(
    z
      .string()
      .min(1)
      .transform((p) => p.trim().toLowerCase()),
  )
  .min(1);

/** First-line phrases (and category names) that turn an approver's reply into a decision. */
const DecisionWords = z.object({
  approved: phrases.default(['approved', 'approve', 'lgtm', 'looks good to me']),
  rejected: phrases.default(['rejected', 'reject', 'declined', 'decline', 'no']),
  changes_requested: phrases.default(['changes requested', 'needs changes', 'request changes']),
});

const Approval = z.object({
  subjectTag: z.string().min(1).default('[Approval]'),
  /** Outlook categories that mark a message as an approval request. */
  categories: z.array(z.string().min(1)).default([]),
  /** A regular expression for item keys (e.g. `CHK-\d+`): a subject naming one is an approval request. */
  keyPattern: z.string().min(1).refine(compiles, 'not a valid regular expression').optional(),
  decisionWords: DecisionWords.prefault({}),
  /** Approval conversations older than this are forgotten by the cursor (a later reply starts over). */
  memoryDays: z.coerce.number().int().min(7).max(730).default(120),
});

const DecisionMeeting = z.object({
  /** Case-insensitive text a meeting subject must contain to be a decision gate. */
  subjectPattern: z.string().min(1).default('Go/No-Go'),
});

const Certificate = z
  .object({
    /** PEM with the private key and certificate, or a path to such a file. */
    pem: z
      .string()
      .min(1)
      .transform((pem) => pem.replace(/\\n/g, '\n'))
      .optional(),
    path: z.string().min(1).optional(),
  })
  .refine((c) => (c.pem === undefined) !== (c.path === undefined), 'set exactly one of pem or path');

export const OutlookConfig = z
  .object({
    tenantId: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    certificate: Certificate.optional(),
    /** For tests and the simulator only: a fixed bearer token instead of a client credential. */
    accessToken: z.string().min(1).optional(),
    /** Entra authority for national clouds, e.g. https://login.microsoftonline.us. */
    authorityHost: z.url().optional(),
    /** `https://HOST/<version>`; national clouds and the simulator change it. */
    baseUrl: z
      .url()
      .default('https://graph.microsoft.com/v1.0')
      .transform((url) => url.replace(/\/+$/, ''))
      .refine(isGraphBase, 'expected https://host[:port]/<version>, e.g. https://graph.microsoft.com/v1.0'),
    /** Extra CA (PEM) to trust for the Graph host: the simulator's self-signed certificate, a TLS proxy. */
    tlsCaCertificate: z.string().min(1).optional(),
    mailboxes: z.array(Mailbox).min(1),
    approval: Approval.prefault({}),
    decisionMeeting: DecisionMeeting.prefault({}),
    /** Shared secret Graph echoes in every notification; required for subscriptions and webhooks. */
    clientState: z.string().min(16).max(128).optional(),
    /** Mailbox alerts are sent from (needs Mail.Send). */
    serviceMailbox: z.string().min(1).optional(),
    calendarWindowDays: z.coerce.number().int().min(1).max(365).default(60),
    bodyPreviewLines: z.coerce.number().int().min(0).max(10).default(3),
    /** Messages that are neither approvals nor in an approval conversation: yield them (selectors decide)? */
    plainMessages: z.stringbool().or(z.boolean()).default(true),
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
    /**
     * How far back a folder's first delta round reads: mail received in the last `historyDays`
     * days (`$filter=receivedDateTime ge …`, kept by Graph in the round's links). Unset reads the
     * whole folder. Later rounds go on from their delta link.
     */
    historyDays: z.coerce.number().int().positive().optional(),
    subscriptionLifetimeMinutes: z.coerce.number().int().min(45).max(10_080).default(4_230),
    renewBeforeMinutes: z.coerce.number().int().min(15).max(10_080).default(1_440),
  })
  .superRefine((config, issue) => {
    const methods = [config.clientSecret, config.certificate, config.accessToken].filter(
      (m) => m !== undefined,
    );
    if (methods.length !== 1) {
      issue.addIssue({
        code: 'custom',
        message: 'set exactly one of clientSecret, certificate or accessToken',
        path: ['clientSecret'],
      });
    }
    if (config.accessToken === undefined && (!config.tenantId || !config.clientId)) {
      issue.addIssue({ code: 'custom', message: 'tenantId and clientId are required', path: ['tenantId'] });
    }
  });

export type OutlookConfig = z.infer<typeof OutlookConfig>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Graph client splits a nextLink into host / version / path by position, so the base URL must
 * be exactly an https origin plus one version segment — anything else breaks paging (API-NOTES).
 */
function isGraphBase(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && /^\/[^/]+$/.test(parsed.pathname) && !parsed.search;
}

export interface GraphEndpoint {
  /** `https://host[:port]` */
  origin: string;
  /** `v1.0` */
  version: string;
  /** Host name without port, for the client's customHosts. */
  hostname: string;
  /** Scope for client-credential tokens: the resource's `/.default`. */
  scope: string;
}

export function graphEndpoint(config: Pick<OutlookConfig, 'baseUrl'>): GraphEndpoint {
  const url = new URL(config.baseUrl);
  return {
    origin: url.origin,
    version: url.pathname.slice(1),
    hostname: url.hostname,
    scope: `${url.origin}/.default`,
  };
}
