import { handoffControls } from './controls-handoffs.js';
import { lifecycleControls } from './controls-lifecycle.js';
import type { Deliveries } from './deliveries.js';
import type { WireContext } from './wire-basics.js';

/**
 * Changes to the simulated GitHub. Each one updates the data the way GitHub does (timeline
 * entry, `updated_at`) and sends the delivery GitHub would send; the REST write endpoint for
 * comments goes through `comment` too. Every control resolves once its delivery was answered.
 */
export function createControls(w: WireContext, deliveries: Deliveries) {
  const send = (d: { event: string; payload: Record<string, unknown> }) =>
    deliveries.deliver(d.event, d.payload);
  return { ...lifecycleControls(w, send), ...handoffControls(w, send) };
}

export type SimControls = ReturnType<typeof createControls>;
