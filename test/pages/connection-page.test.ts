import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/api/app.js';
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

const page = async (name: string) => {
  const response = await app.inject(`/connections/${name}`);
  expect(response.statusCode).toBe(200);
  return response.body;
};
const rowsOf = (html: string, section: string) => sectionOf(html, section).split('<tr>').slice(2).map(textOf);

describe('GET /connections/:name', () => {
  it.each([
    ['jira', ['OPS-7 Rotate the on-call pager']],
    ['github', ['acme/tooling#9 Bump the lint config']],
    ['outlook', ['Team lunch on Friday']],
    ['drive', []],
  ])('lists the items of %s that no selector of any plan caught', async (name, uncaught) => {
    const rows = rowsOf(await page(name), 'uncaught-heading');
    expect(rows).toEqual(uncaught.map((title) => expect.stringContaining(title)));
  });

  it('counts the uncaught items and points at the mapping to fix', async () => {
    const text = textOf(sectionOf(await page('jira'), 'uncaught-heading'));
    expect(text).toContain('1 live item matches no selector of any plan');
    expect(text).toContain('connection “jira” in mappings/*.yaml');
  });

  it('shows health: last sync, last success, rate limit, inbox and items held', async () => {
    const health = textOf(sectionOf(await page('github'), 'health-heading'));
    expect(health).toContain('Health healthy');
    expect(health).toContain('Last success 2026-11-05 14:59 UTC (under 1 h ago)');
    expect(health).toContain('Rate limit 4870 of 5000 requests left, resets 2026-11-05 15:40 UTC');
    expect(health).toContain('Webhook inbox 0 pending, 0 failed');
    expect(health).toContain('Items held 3');
  });

  it('shows the last error of an unhealthy connection', async () => {
    const health = textOf(sectionOf(await page('outlook'), 'health-heading'));
    expect(health).toContain('Health unhealthy');
    expect(health).toContain('Last error auth_failed the client secret has expired at 2026-11-05 14:00 UTC');
    expect(health).toContain('Last success never');
  });

  it('lists the most recently changed items with the plan phase that caught each', async () => {
    const rows = rowsOf(await page('jira'), 'recent-heading');
    expect(rows).toHaveLength(9);
    expect(rows[0]).toMatch(
      /^Jira CHK-120 One-page checkout form issue In Review CHK .*checkout-rollout › build 2026-11-05 15:00 UTC$/,
    );
    expect(rows.find((r) => r.includes('OPS-7'))).toContain('no plan');
  });
});
