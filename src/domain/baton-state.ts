import { z } from 'zod';

/** Baton's own item states, the same for every tool. */
export const BatonState = z.enum(['todo', 'in_progress', 'in_review', 'blocked', 'done', 'cancelled']);
export type BatonState = z.infer<typeof BatonState>;

export const HandoffKind = z.enum(['review', 'approval', 'assignment', 'comment', 'reply', 'changes']);
export type HandoffKind = z.infer<typeof HandoffKind>;

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'changes_requested', 'cancelled']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const PhaseState = z.enum(['not_started', 'active', 'blocked', 'done']);
export type PhaseState = z.infer<typeof PhaseState>;

export const PlanHealth = z.enum(['on_track', 'at_risk', 'off_track', 'done']);
export type PlanHealth = z.infer<typeof PlanHealth>;
