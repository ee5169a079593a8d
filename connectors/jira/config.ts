import { z } from 'zod';

/** Email + API token (basic auth), the usual way for a site-admin-created integration user. */
const BasicAuth = z.object({ email: z.string().min(1), apiToken: z.string().min(1) }).strict();
/** An OAuth 2.0 (3LO) access token; `host` is then `https://api.atlassian.com/ex/jira/<cloudId>`. */
const BearerAuth = z.object({ bearerToken: z.string().min(1) }).strict();

const DEFAULT_APPROVAL = { statuses: ['Awaiting approval'] };

/**
 * Settings of a `kind: jira` connection in baton.yaml. Secrets arrive already resolved, and numbers
 * may arrive as strings for the same reason (`${VAR}`), hence the coercion.
 */
export const JiraConfig = z.object({
  /** Where the REST API lives: `https://your-site.atlassian.net`, the OAuth gateway URL, or a simulator. */
  host: z.url(),
  /** Where people open issues (`<siteUrl>/browse/KEY`); defaults to `host`. Set it under OAuth 2.0. */
  siteUrl: z.url().optional(),
  auth: z.union([BasicAuth, BearerAuth]),
  /** The scope: a JQL restriction without ORDER BY, e.g. `project in (CHK, OPS)`. */
  jql: z
    .string()
    .trim()
    .min(1)
    .refine(
      (jql) => !/\border\s+by\b/i.test(jql),
      'leave ORDER BY out: Baton orders by updated and key itself',
    ),
  /** Shared secret of the Jira webhook. Without it every delivery is refused (401). */
  webhookSecret: z.string().min(1).optional(),
  /** The secret being retired: deliveries signed with it are accepted while a rotation is under way. */
  previousWebhookSecret: z.string().min(1).optional(),
  /** How far each incremental search reaches back before the cursor (JQL has minute precision). */
  overlapMinutes: z.coerce.number().int().min(0).max(1440).default(2),
  /** Hours between reconciliations (deletions, issues moved out of scope); 0 = on every pull. */
  reconcileEveryHours: z.coerce.number().min(0).default(24),
  approval: z
    .object({
      /** Statuses that mean "waiting for a decision" (matched without regard to case). */
      statuses: z.array(z.string().min(1)).min(1).default(DEFAULT_APPROVAL.statuses),
      /** A user-picker custom field holding the approver, e.g. `customfield_10050`; else the assignee. */
      approverField: z
        .string()
        .regex(/^customfield_\d+$/, 'a custom field id such as customfield_10050')
        .optional(),
    })
    .default(DEFAULT_APPROVAL),
  /** Issues per search page; Jira serves at most 100 when fields and the changelog are asked for. */
  pageSize: z.coerce.number().int().min(1).max(100).default(100),
  /** Extra field ids to fetch and expose in `fields` for mapping selectors (e.g. `customfield_10020`). */
  fields: z.array(z.string().min(1)).default([]),
});

export type JiraConfig = z.infer<typeof JiraConfig>;

/** What the normaliser needs from the settings; kept small so fixtures can build it by hand. */
export interface NormalizeOptions {
  siteUrl: string;
  approvalStatuses: string[];
  approverField?: string;
  extraFields: string[];
}

export function normalizeOptions(config: JiraConfig): NormalizeOptions {
  return {
    siteUrl: (config.siteUrl ?? config.host).replace(/\/+$/, ''),
    approvalStatuses: config.approval.statuses,
    approverField: config.approval.approverField,
    extraFields: config.fields,
  };
}
