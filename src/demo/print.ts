import { relative } from 'node:path';
import type { DemoClock } from './clock.js';
import type { RunningDemo } from './demo.js';

/** The checkout plan works on Berlin time; the demo shows its clock there. */
const DEMO_TIME = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Berlin',
});
const WALL = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const demoTime = (date: Date) => DEMO_TIME.format(date).replace(',', '');

/** `10:42:13 │ Tue 17 Nov 14:20 │ <line>`: wall clock, then the demo clock. */
export function stamped(line: string, clock: DemoClock | undefined): string {
  const wall = WALL.format(new Date());
  return clock ? `${wall} │ ${demoTime(clock.now())} │ ${line}` : `${wall} │ ${line}`;
}

export function banner(demo: RunningDemo, tookMs: number): string {
  const { url, clock, world, pulled } = demo;
  const counts = Object.entries(pulled)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  const pace =
    clock.factor === 1
      ? 'real time (try --fast-clock 120 to watch handoffs stall within minutes)'
      : `${clock.factor}× faster than real time (--fast-clock ${clock.factor})`;
  const lines = [
    '',
    'Baton demo — "New checkout rollout" and "Payments vendor onboarding (PayLink)", live',
    '',
    `  status page   ${url}/plans/checkout-rollout`,
    `                ${url}/plans/vendor-onboarding`,
    `  all plans     ${url}/            API: ${url}/api/plans/checkout-rollout/status`,
    `  access        BATON_AUTH=off: no token needed — allowed only because Baton listens on loopback (127.0.0.1)`,
    `  demo clock    ${demoTime(clock.now())} (Berlin), running ${pace}`,
    `  tools         ${world.tools.join(', ')} — simulated on 127.0.0.1, signed webhooks to ${url}/webhooks/<tool>`,
    `  pulled        ${counts} items — ready in ${(tookMs / 1000).toFixed(1)} s`,
    `  data          ${relative(process.cwd(), demo.dataDir) || '.'} — Postgres, baton.yaml, clock.json; --fresh starts over`,
    '  stop          Ctrl-C (a second run carries on where this one stops)',
    '',
    'What happens next (one line per action; "alert ⟶" lines are Baton writing back into a tool):',
  ];
  return lines.join('\n');
}
