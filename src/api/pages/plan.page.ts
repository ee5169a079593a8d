import type { CompiledPlan } from '../../domain/plan.js';
import type { PlanStatus } from '../plan-status.js';
import type { Html } from './html.js';
import { html, segment } from './html.js';
import { layout } from './layout.js';
import { attention } from './plan-attention.js';
import { recentChanges } from './plan-changes.js';
import { planHeader } from './plan-header.js';
import { phaseTimeline } from './plan-phases.js';

/**
 * GET /plans/:key — one plan for an exec: the verdict and its reason, the phases in order,
 * then what needs someone (blocked, approvals, stalled handoffs), then the last week's changes.
 * Everything comes from the shared, cached status (plus the plan file already in memory).
 */
export function planPage(status: PlanStatus, plan: CompiledPlan): Html {
  const body = html`${planHeader(status)}
${phaseTimeline(status, plan)}
${attention(status, plan)}
${recentChanges(status)}`;
  return layout({
    title: status.plan.title,
    body,
    json: `/api/plans/${segment(status.plan.key)}/status`,
    generatedAt: status.generatedAt,
    refresh: true,
  });
}
