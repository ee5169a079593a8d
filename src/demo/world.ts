import { randomBytes } from 'node:crypto';
import {
  DRIVE_CONTROLS,
  type DriveSimulator,
  startDriveSimulator,
} from '../../connectors/drive/simulator.js';
import { type GitHubSimulator, startGitHubSimulator } from '../../connectors/github/simulator.js';
import { type JiraSimulator, startJiraSimulator } from '../../connectors/jira/simulator.js';
import { type GraphSimulator, startOutlookSimulator } from '../../connectors/outlook/simulator.js';
import type { DemoClock } from './clock.js';
import type { Scenario } from './scenario.js';
import type { Tool } from './timeline.js';

/** The controls a timeline step may call, per tool: the changes a person makes in that tool. */
export const CONTROLS: Record<Tool, readonly string[]> = {
  github: [
    'createIssue',
    'openPullRequest',
    'editIssue',
    'assign',
    'unassign',
    'requestReview',
    'submitReview',
    'comment',
    'merge',
    'close',
    'reopen',
    'deleteIssue',
    'transferIssue',
  ],
  jira: ['createIssue', 'updateIssue', 'transition', 'assign', 'comment', 'deleteIssue'],
  outlook: [
    'sendApprovalRequest',
    'reply',
    'sendMessage',
    'addMessage',
    'updateMessage',
    'deleteMessage',
    'createMeeting',
    'respondToMeeting',
    'updateEvent',
    'deleteEvent',
  ],
  drive: DRIVE_CONTROLS,
};

/** Credentials shared by the simulators and Baton's connections; new ones every run. */
export interface DemoSecrets {
  githubToken: string;
  githubWebhookSecret: string;
  jiraApiToken: string;
  jiraWebhookSecret: string;
  graphAccessToken: string;
  graphClientState: string;
  driveAccessToken: string;
  driveChannelToken: string;
}

export function newSecrets(): DemoSecrets {
  const secret = () => randomBytes(24).toString('hex');
  return {
    githubToken: `ghp_${secret()}`,
    githubWebhookSecret: secret(),
    jiraApiToken: secret(),
    jiraWebhookSecret: secret(),
    graphAccessToken: secret(),
    graphClientState: secret(),
    driveAccessToken: secret(),
    driveChannelToken: secret(),
  };
}

export const BATON_ACCOUNT = 'baton@acme.example';

export interface WorldOptions {
  scenario: Scenario;
  clock: DemoClock;
  /** Baton's base URL: the simulators post their webhooks to `<batonUrl>/webhooks/<tool>`. */
  batonUrl: string;
  /** The tools to simulate: those Baton has a connector for. */
  tools: readonly Tool[];
  secrets: DemoSecrets;
}

export interface DemoWorld {
  tools: Tool[];
  github?: GitHubSimulator;
  jira?: JiraSimulator;
  outlook?: GraphSimulator;
  drive?: DriveSimulator;
  /** The named control of a tool's simulator, bound; undefined when not allowed or not running. */
  control(tool: Tool, name: string): ((...args: unknown[]) => unknown) | undefined;
  stop(): Promise<void>;
}

/** Starts one simulator per tool, seeded from the scenario, on the demo clock. */
export async function startWorld(options: WorldOptions): Promise<DemoWorld> {
  const { scenario, clock, secrets } = options;
  const hook = (tool: Tool) => `${options.batonUrl}/webhooks/${tool}`;
  const want = (tool: Tool) => options.tools.includes(tool);
  const started = await Promise.allSettled([
    want('github')
      ? startGitHubSimulator({
          seed: scenario.github,
          token: secrets.githubToken,
          tokenLogin: 'baton-bot',
          webhook: { url: hook('github'), secret: secrets.githubWebhookSecret },
          now: clock.now,
        })
      : undefined,
    want('jira')
      ? startJiraSimulator({
          auth: { email: BATON_ACCOUNT, apiToken: secrets.jiraApiToken },
          projects: scenario.jira.projects,
          users: scenario.jira.users,
          issues: scenario.jira.issues,
          webhook: { url: hook('jira'), secret: secrets.jiraWebhookSecret },
          now: clock.now,
        })
      : undefined,
    want('outlook')
      ? startOutlookSimulator({
          seed: scenario.outlook,
          accessToken: secrets.graphAccessToken,
          serviceMailbox: scenario.serviceMailbox,
          pageSize: 100,
          webhook: { url: hook('outlook'), clientState: secrets.graphClientState },
          now: clock.now,
        })
      : undefined,
    want('drive')
      ? startDriveSimulator({
          seed: scenario.drive,
          accessToken: secrets.driveAccessToken,
          channelToken: secrets.driveChannelToken,
          me: { email: BATON_ACCOUNT, name: 'Baton' },
          now: clock.ms,
        })
      : undefined,
  ]);
  const [github, jira, outlook, drive] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
  const running = [github, jira, outlook, drive].filter((s) => s !== undefined);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(running.map((s) => s.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const sims = {
    github: github as GitHubSimulator | undefined,
    jira: jira as JiraSimulator | undefined,
    outlook: outlook as GraphSimulator | undefined,
    drive: drive as DriveSimulator | undefined,
  };
  // A delta token from an earlier run names sequence numbers this fresh simulator never issued:
  // expiring them makes the connector resync (what it re-reads, Baton already has).
  sims.outlook?.expireDeltaTokens();

  return {
    ...sims,
    tools: options.tools.filter((tool) => sims[tool] !== undefined),
    control(tool, name) {
      const sim = sims[tool] as unknown as Record<string, unknown> | undefined;
      if (!sim || !CONTROLS[tool].includes(name) || typeof sim[name] !== 'function') return undefined;
      return (sim[name] as (...args: unknown[]) => unknown).bind(sim);
    },
    async stop() {
      await Promise.allSettled(running.map((s) => s.stop()));
    },
  };
}
