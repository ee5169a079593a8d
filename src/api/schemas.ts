import { z } from 'zod';

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const ItemLink = z.object({
  connection: z.string(),
  externalId: z.string(),
  key: z.string().nullable(),
  title: z.string(),
  url: z.string().nullable(),
  source: z.string(),
});

const PersonName = z.object({ key: z.string(), name: z.string() });
const Receiver = z.object({ person: z.string().nullable(), name: z.string() });

export const HandoffView = z.object({
  id: z.string(),
  item: ItemLink,
  kind: z.string(),
  from: z.string().nullable(),
  to: Receiver,
  since: z.string(),
  slaDueAt: z.string().nullable(),
  ageHours: z.number(),
  level: z.number(),
});

export const PlanStatusBody = z.object({
  plan: z.object({
    key: z.string(),
    title: z.string(),
    outcome: z.string(),
    scope: z.object({ in: z.array(z.string()), out: z.array(z.string()) }),
    successCriteria: z.array(z.string()),
    constraints: z.array(z.string()),
    owner: PersonName,
    decisionMakers: z.array(PersonName),
    startsOn: z.string().nullable(),
    targetDate: z.string().nullable(),
    state: z.enum(['on_track', 'at_risk', 'off_track', 'done']),
    reason: z.string(),
    currentPhase: z.string().nullable(),
  }),
  phases: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      position: z.number(),
      state: z.enum(['not_started', 'active', 'blocked', 'done']),
      progress: z.number(),
      items: z.number(),
      counts: z.record(z.string(), z.number()),
      owner: PersonName,
      nextOwner: z
        .object({
          person: z.string().nullable(),
          name: z.string(),
          since: z.string(),
          kind: z.string(),
          item: ItemLink,
        })
        .nullable(),
      dependsOn: z.array(z.string()),
      inputs: z.array(z.string()),
      exitCriteria: z.array(z.string()),
      startsOn: z.string().nullable(),
      dueOn: z.string().nullable(),
      blockedBy: z.array(z.string()),
      blocked: z.array(
        z.object({
          item: ItemLink,
          state: z.string(),
          reason: z.string().nullable(),
          owner: z.string().nullable(),
        }),
      ),
      approvalsWaiting: z.array(
        z.object({
          id: z.string(),
          item: ItemLink,
          approver: Receiver,
          requester: z.string().nullable(),
          since: z.string(),
          waitingHours: z.number(),
        }),
      ),
      approvalsWaitingTotal: z.number(),
      stalledHandoffs: z.array(HandoffView),
      stalledHandoffsTotal: z.number(),
    }),
  ),
  totals: z.object({
    items: z.number(),
    approvalsWaiting: z.number(),
    openHandoffs: z.number(),
    stalledHandoffs: z.number(),
  }),
  recentChanges: z.array(
    z.object({
      at: z.string(),
      kind: z.string(),
      origin: z.string(),
      phase: z.string(),
      changes: z.unknown(),
      item: ItemLink,
    }),
  ),
  generatedAt: z.string(),
});
