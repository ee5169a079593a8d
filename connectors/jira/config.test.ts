import { describe, expect, it } from 'vitest';
import { JiraConfig, normalizeOptions } from './config.js';

const base = {
  host: 'https://acme.atlassian.net',
  auth: { email: 'a@acme.example', apiToken: 't' },
  jql: 'project = CHK',
};

describe('Jira connection settings', () => {
  it('fills in the defaults', () => {
    expect(JiraConfig.parse(base)).toMatchObject({
      overlapMinutes: 2,
      reconcileEveryHours: 24,
      approval: { statuses: ['Awaiting approval'] },
      pageSize: 100,
      fields: [],
    });
  });

  it('accepts an OAuth 2.0 bearer token, with links to the site rather than the API gateway', () => {
    const config = JiraConfig.parse({
      ...base,
      host: 'https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421',
      siteUrl: 'https://acme.atlassian.net/',
      auth: { bearerToken: 'eyJ...' },
    });
    expect(normalizeOptions(config).siteUrl).toBe('https://acme.atlassian.net');
  });

  it('refuses a scope with ORDER BY, mixed credentials, a bad approver field and oversized pages', () => {
    expect(JiraConfig.safeParse({ ...base, jql: 'project = CHK ORDER BY created' }).success).toBe(false);
    expect(
      JiraConfig.safeParse({ ...base, auth: { email: 'a', apiToken: 't', bearerToken: 'b' } }).success,
    ).toBe(false);
    expect(JiraConfig.safeParse({ ...base, approval: { approverField: 'Approver' } }).success).toBe(false);
    expect(JiraConfig.safeParse({ ...base, pageSize: 500 }).success).toBe(false);
  });
});
