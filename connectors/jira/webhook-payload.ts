import { z } from 'zod';

/**
 * A Jira Cloud webhook body, from Atlassian's documented examples ("Webhooks" in the Jira Cloud
 * platform docs). Issue fields are v2-shaped (comment bodies are wiki text) and vary by event, so
 * the issue is kept loose and checked for completeness before it becomes a record.
 */
const User = z.looseObject({
  accountId: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});

const ChangeItem = z.looseObject({
  field: z.string().optional(),
  fieldId: z.string().optional(),
  fieldtype: z.string().optional(),
  from: z.string().nullish(),
  fromString: z.string().nullish(),
  to: z.string().nullish(),
  // `toString` passes through the loose object unvalidated: naming it here would make zod read
  // Object.prototype.toString when the key is absent.
});

const Issue = z.looseObject({
  // Ids are strings in Cloud payloads; Atlassian's older examples show numbers.
  id: z.union([z.string(), z.number()]).transform(String),
  key: z.string().optional(),
  fields: z.record(z.string(), z.any()).optional(),
});

const Comment = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  author: User.optional(),
  body: z.unknown().optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
});

export const JiraWebhookPayload = z.looseObject({
  webhookEvent: z.string().min(1),
  /** Milliseconds since the epoch, when Jira raised the event. */
  timestamp: z.number(),
  issue_event_type_name: z.string().optional(),
  user: User.optional(),
  issue: Issue.optional(),
  changelog: z
    .looseObject({
      id: z.union([z.string(), z.number()]).transform(String),
      items: z.array(ChangeItem).default([]),
    })
    .optional(),
  comment: Comment.optional(),
});
export type JiraWebhookPayload = z.infer<typeof JiraWebhookPayload>;
