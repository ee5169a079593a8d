import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { testApp } from '../support/test-services.js';
import { sectionOf, textOf } from './page-html.js';
import { type StatusFixture, statusFixture } from './status-fixture.js';

let fixture: StatusFixture;
let app: BatonApp;
let page: string;

beforeAll(async () => {
  fixture = await statusFixture();
  app = await testApp(fixture.services);
  const response = await app.inject('/plans/checkout-rollout');
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  page = response.body;
});
afterAll(async () => {
  await app.close();
  await fixture.close();
});

describe('GET /plans/:key', () => {
  it('heads the page with the outcome, scope, success criteria, owner, decision-makers, target and verdict', () => {
    const head = textOf(page.slice(0, page.indexOf('<section aria-labelledby="phases-heading"')));
    expect(head).toContain('At risk 3 handoffs stalled past SLA');
    expect(head).toContain(
      'Outcome Every web and mobile-web customer pays through the new one-page checkout',
    );
    expect(head).toContain('Owner Lena Hoffmann');
    expect(head).toContain('Decision-makers Lena Hoffmann, Marcus Reed');
    expect(head).toContain('Target date 2026-12-11');
    expect(head).toContain('Current phase Build');
    expect(head).toContain('Native iOS and Android apps (next quarter)');
    expect(head).toContain('p95 payment latency &lt; 800 ms at twice the expected holiday peak');
    expect(head).toContain('Launch before the holiday code freeze on 2026-12-15');
  });

  it('shows the phases in order with state, dependency, dates, owner and exit criteria', () => {
    const phases = sectionOf(page, 'phases-heading');
    const titles = [...phases.matchAll(/<h3>(.*?)<\/h3> <span class="state [^"]+">(.*?)<\/span>/g)];
    expect(titles.map((m) => [m[1], m[2]])).toEqual([
      ['1. Design', 'Done'],
      ['2. Build', 'Moving'],
      ['3. Security review', 'Blocked'],
      ['4. Launch', 'Blocked'],
    ]);
    const build = textOf(
      phases.slice(phases.indexOf('id="phase-build"'), phases.indexOf('id="phase-security-review"')),
    );
    expect(build).toContain('After Design · 2026-09-28 → 2026-11-06');
    expect(build).toContain('Owner Priya Raman');
    expect(build).toContain('1 of 7 items done (14%)');
    expect(build).toContain('Load test shows p95 payment latency &lt; 800 ms at twice the holiday peak');
    expect(textOf(phases)).toContain('Blocked: waits for phase &quot;Build&quot;');
  });

  it('draws each phase progress as an accessible progress bar', () => {
    expect(page).toContain('<progress max="100" value="14" aria-label="Build progress">14%</progress>');
    expect(page).toContain('<progress max="100" value="100" aria-label="Design progress">100%</progress>');
  });

  it('names who holds the ball next in each phase, since when and for which item', () => {
    const build = textOf(sectionOf(page, 'phases-heading').split('id="phase-build"')[1].split('</li>')[0]);
    expect(build).toContain(
      'Next owner: Jonas Becker holds the ball since 2026-10-29 10:00 UTC (assigned) for Jira CHK-122 Load test at twice the holiday peak',
    );
  });

  it('lists approvals waiting, longest wait first, with approver, requester, phase, since and how long', () => {
    const rows = sectionOf(page, 'approvals-heading').split('<tr>').slice(2).map(textOf);
    expect(rows).toEqual([
      'Outlook [Approval] Security sign-off: PCI scope unchanged Security review Marcus Reed Aisha Okafor 2026-11-02 14:00 UTC 3 d 1 h',
      'GitHub acme/checkout#41 CHK-120 One-page checkout form Build Sam Iyer Priya Raman 2026-11-03 06:00 UTC 2 d 9 h',
      'GitHub acme/checkout#42 &lt;img src=x onerror=alert(1)&gt; Build Jonas Becker Priya Raman 2026-11-05 08:00 UTC 7 h',
    ]);
  });

  it('lists stalled handoffs, oldest first, with their age and escalation level', () => {
    const stalled = sectionOf(page, 'stalled-heading').split('<tr>').slice(2).map(textOf);
    expect(stalled).toEqual([
      expect.stringMatching(
        /^Jira CHK-122 .* assigned Priya Raman → Jonas Becker 2026-10-29 10:00 UTC 7 d 5 h not escalated yet$/,
      ),
      expect.stringMatching(
        /Security review approval requested Aisha Okafor → Marcus Reed .* 3 d 1 h level 2: phase owner told$/,
      ),
      expect.stringMatching(
        /^GitHub acme\/checkout#41 .* review requested Priya Raman → Sam Iyer .* 2 d 9 h not escalated yet$/,
      ),
    ]);
  });

  it('says why an item is blocked', () => {
    expect(textOf(sectionOf(page, 'blocked-heading'))).toContain(
      'Jira CHK-121 Saved-card migration rehearsal on a production snapshot Build &quot;Blocked&quot; in jira Priya Raman',
    );
  });

  it('shows what changed in the last 7 days', () => {
    expect(textOf(sectionOf(page, 'changes-heading'))).toContain(
      'Jira CHK-120 One-page checkout form Build state: In Progress → In Review poll',
    );
  });

  it('links every item back to its tool and names the tool', () => {
    expect(page).toContain(
      '<span class="tool">GitHub</span> <a class="item" href="https://github.com/acme/checkout/pull/41" rel="noopener noreferrer">',
    );
    expect(page).toContain(
      '<span class="tool">Outlook</span> <a class="item" href="https://outlook.office.com/mail/inbox/id/AAMk-pci-signoff"',
    );
    expect(page).toContain(
      '<span class="tool">Google Drive</span> <a class="item" href="https://docs.google.com/document/d/1Spec0nePageCheckout/edit"',
    );
  });

  it('stays under 150 KB for the example plan', () => {
    expect(Buffer.byteLength(page)).toBeLessThan(150 * 1024);
  });

  it('agrees with the status API it shares the cache with', async () => {
    const status = (await app.inject('/api/plans/checkout-rollout/status')).json();
    expect(page).toContain(`Status as of ${status.generatedAt.slice(0, 16).replace('T', ' ')} UTC`);
    expect(status.totals).toMatchObject({ approvalsWaiting: 3, stalledHandoffs: 3 });
  });
});
