import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
import { PlanRegistry } from '../../src/runtime/plan-registry.js';
import { testApp } from '../support/test-services.js';
import { sectionOf, textOf } from './page-html.js';
import { type StatusFixture, statusFixture } from './status-fixture.js';

let fixture: StatusFixture;
let app: BatonApp;

beforeAll(async () => {
  fixture = await statusFixture();
  app = await testApp(fixture.services);
});
afterAll(async () => {
  await app.close();
  await fixture.close();
});

describe('GET /', () => {
  it('lists every plan with its state and reason, current phase, target date and what waits', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    const rows = sectionOf(response.body, 'plans-heading').split('<tr>').slice(2).map(textOf);
    expect(rows).toEqual([
      'New checkout rollout At risk 3 handoffs stalled past SLA Build 2026-12-11 Build due 2026-11-06 3 3',
    ]);
    expect(response.body).toContain('<a href="/plans/checkout-rollout">New checkout rollout</a>');
  });

  it('links each connection to its page with its health', async () => {
    const page = (await app.inject('/')).body;
    const rows = sectionOf(page, 'connections-heading').split('<tr>').slice(2).map(textOf);
    expect(rows).toEqual([
      'drive Google Drive healthy 2026-11-05 14:55 UTC 1 0',
      'github GitHub healthy 2026-11-05 14:59 UTC 3 0',
      'jira Jira healthy 2026-11-05 14:58 UTC 9 0',
      'outlook Outlook unhealthy never 2 0',
    ]);
    expect(page).toContain('<a href="/connections/outlook">outlook</a>');
  });

  it('says so when no plan is loaded', async () => {
    const services = { ...fixture.services, plans: new PlanRegistry([]) };
    const empty = await testApp(services);
    try {
      const page = (await empty.inject('/')).body;
      expect(textOf(sectionOf(page, 'plans-heading'))).toContain('No plans loaded.');
    } finally {
      await empty.close();
    }
  });
});
