import { beforeAll, describe, expect, it } from 'vitest';
import { startDriveSimulator } from '../../connectors/drive/simulator.js';
import { startGitHubSimulator } from '../../connectors/github/simulator.js';
import { startJiraSimulator } from '../../connectors/jira/simulator.js';
import { startOutlookSimulator } from '../../connectors/outlook/simulator.js';
import { type DemoPeople, loadPlanPeople } from '../../src/demo/people.js';
import { loadScenario, type Scenario } from '../../src/demo/scenario.js';
import { CONTROLS } from '../../src/demo/world.js';

const DIR = 'demo/scenario';
let people: DemoPeople;
let scenario: Scenario;

beforeAll(async () => {
  people = await loadPlanPeople('mappings');
  scenario = await loadScenario(DIR, people);
});

const issuesOf = (s: Scenario) => s.github.repos.flatMap((r) => [...(r.issues ?? []), ...(r.pulls ?? [])]);
const messagesOf = (s: Scenario) => s.outlook.mailboxes.flatMap((m) => Object.values(m.folders ?? {}).flat());
const dupes = (list: string[]) => list.filter((v, i) => list.indexOf(v) !== i);

describe('the demo scenario', () => {
  it('expands to a few hundred items across the four tools, the same way every time', async () => {
    const again = await loadScenario(DIR, people);
    expect(again).toEqual(scenario);
    const counts = {
      github: issuesOf(scenario).length,
      jira: scenario.jira.issues.length,
      outlook: messagesOf(scenario).length,
      drive: scenario.drive.files?.length ?? 0,
    };
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(30);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(200);
    expect(total).toBeLessThan(600);
  });

  it('gives every item its own id, so story and filler never overwrite each other', () => {
    for (const repo of scenario.github.repos) {
      expect(dupes([...(repo.issues ?? []), ...(repo.pulls ?? [])].map((i) => String(i.number)))).toEqual([]);
    }
    expect(dupes(scenario.jira.issues.map((i) => i.id))).toEqual([]);
    expect(dupes(scenario.jira.issues.map((i) => i.key))).toEqual([]);
    expect(dupes(messagesOf(scenario).map((m) => String(m.id)))).toEqual([]);
    expect(dupes((scenario.drive.files ?? []).map((f) => String(f.id)))).toEqual([]);
  });

  it('dates every seeded record, so a second run re-seeds older data and not "now"', () => {
    for (const issue of issuesOf(scenario)) expect(issue.updated_at ?? issue.created_at).toMatch(/^2026-/);
    for (const issue of scenario.jira.issues) expect(issue.fields.updated).toMatch(/^2026-/);
    for (const message of messagesOf(scenario)) expect(message.lastModifiedDateTime).toMatch(/^2026-/);
    for (const file of scenario.drive.files ?? []) expect(file.modifiedTime).toMatch(/^2026-/);
  });

  it('names people only by the identities the plans map', () => {
    const logins = new Set([...people.values()].flatMap((p) => p.githubLogins));
    const accounts = new Set([...people.values()].map((p) => p.jira));
    const emails = new Set([...people.values()].map((p) => p.email));
    emails.add(scenario.serviceMailbox);
    for (const user of scenario.github.users ?? []) expect(logins, user.login).toContain(user.login);
    for (const issue of issuesOf(scenario)) expect(logins, issue.title).toContain(issue.user.login);
    for (const user of scenario.jira.users) expect(accounts, user.displayName).toContain(user.accountId);
    for (const mailbox of scenario.outlook.mailboxes) expect(emails).toContain(mailbox.user);
    for (const message of messagesOf(scenario)) {
      for (const r of [message.from, ...(message.toRecipients ?? [])])
        expect(emails).toContain(r?.emailAddress?.address);
    }
    for (const file of scenario.drive.files ?? []) expect(emails).toContain(file.owners?.[0]?.emailAddress);
  });

  it('loads into each simulator as its seed', async () => {
    const github = await startGitHubSimulator({ seed: scenario.github });
    const jira = await startJiraSimulator({
      projects: scenario.jira.projects,
      users: scenario.jira.users,
      issues: scenario.jira.issues,
    });
    const outlook = await startOutlookSimulator({
      seed: scenario.outlook,
      serviceMailbox: scenario.serviceMailbox,
    });
    const drive = await startDriveSimulator({ seed: scenario.drive });
    try {
      expect(github.liveIds()).toHaveLength(issuesOf(scenario).length);
      expect(jira.liveIds()).toHaveLength(scenario.jira.issues.length);
      expect(jira.issue('CHK-103')?.fields.status.name).toBe('Awaiting approval');
      expect(outlook.messages()).toHaveLength(messagesOf(scenario).length);
      expect(outlook.connectionSettings().serviceMailbox).toBe(scenario.serviceMailbox);
      // Two plan folders: everything else lies below them.
      expect(drive.connectionSettings().folders).toEqual([
        '1CheckoutLaunchFolder',
        '1PayLinkOnboardingFolder',
      ]);
      expect(drive.data.files.size).toBe(scenario.drive.files?.length);
    } finally {
      await Promise.all([github.stop(), jira.stop(), outlook.stop(), drive.stop()]);
    }
  });

  it('scripts only controls the simulators have', async () => {
    expect(scenario.timeline.length).toBeGreaterThan(10);
    for (const step of scenario.timeline) expect(CONTROLS[step.tool]).toContain(step.control);
    const tools = new Set(scenario.timeline.map((s) => s.tool));
    expect([...tools].sort()).toEqual(['drive', 'github', 'jira', 'outlook']);
    // Something happens every 5–20 seconds.
    for (const step of scenario.timeline) {
      expect(step.after).toBeGreaterThanOrEqual(5);
      expect(step.after).toBeLessThanOrEqual(20);
    }
  });
});
