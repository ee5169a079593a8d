import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { DriveSeed } from '../../connectors/drive/simulator.js';
import type { GitHubSeed } from '../../connectors/github/simulator.js';
import type { SimUser, WireIssue } from '../../connectors/jira/simulator.js';
import type { SeedMailbox } from '../../connectors/outlook/simulator.js';
import { driveFiller } from './filler-drive.js';
import { githubFiller } from './filler-github.js';
import { jiraFiller } from './filler-jira.js';
import { mergeMessages, outlookFiller } from './filler-outlook.js';
import { FillerSpec } from './filler-spec.js';
import type { DemoPeople } from './people.js';
import { shiftTimes } from './scenario-time.js';
import { loadTimeline, type TimelineStep } from './timeline.js';

/** `scenario.yaml`: when the story's "now" is, and the few settings that are not tool data. */
const Frame = z.strictObject({
  epoch: z.iso.datetime(),
  serviceMailbox: z.email(),
});
export type ScenarioFrame = { epoch: Date; serviceMailbox: string };

export interface JiraScenario {
  projects: string[];
  users: SimUser[];
  issues: WireIssue[];
}

/** Seed data per tool, in the shape each simulator's seed option takes, plus the live script. */
export interface Scenario extends ScenarioFrame {
  github: GitHubSeed;
  jira: JiraScenario;
  outlook: { mailboxes: SeedMailbox[] };
  drive: DriveSeed;
  timeline: TimelineStep[];
}

export async function readScenarioFrame(dir: string): Promise<ScenarioFrame> {
  const frame = Frame.parse(await readYaml(join(dir, 'scenario.yaml')));
  return { epoch: new Date(frame.epoch), serviceMailbox: frame.serviceMailbox };
}

/**
 * Reads the hand-written story (one JSON file per tool), expands filler.yaml around it, and
 * shifts every timestamp by `shiftMs` (see scenario-time.ts).
 */
export async function loadScenario(dir: string, people: DemoPeople, shiftMs = 0): Promise<Scenario> {
  const frame = await readScenarioFrame(dir);
  const spec = FillerSpec.parse(await readYaml(join(dir, 'filler.yaml')));
  const github = (await readJson(join(dir, 'github.json'))) as GitHubSeed;
  const jira = (await readJson(join(dir, 'jira.json'))) as JiraScenario;
  const outlook = (await readJson(join(dir, 'outlook.json'))) as { mailboxes: SeedMailbox[] };
  const drive = (await readJson(join(dir, 'drive.json'))) as DriveSeed;
  const epoch = frame.epoch;

  const filledGithub = mergeRepos(github, githubFiller(spec, people, epoch));
  const filledJira = { ...jira, issues: [...jira.issues, ...jiraFiller(spec, people, epoch, jira.projects)] };
  const filledOutlook = { mailboxes: mergeMessages(outlook.mailboxes, outlookFiller(spec, people, epoch)) };
  const filledDrive = { ...drive, files: [...(drive.files ?? []), ...driveFiller(spec, people, epoch)] };

  return {
    ...frame,
    github: shiftTimes(filledGithub, shiftMs),
    jira: shiftTimes(filledJira, shiftMs),
    outlook: shiftTimes(filledOutlook, shiftMs),
    drive: shiftTimes(filledDrive, shiftMs),
    timeline: await loadTimeline(join(dir, 'timeline.yaml')),
  };
}

function mergeRepos(story: GitHubSeed, filler: GitHubSeed): GitHubSeed {
  const repos = story.repos.map((r) => ({ ...r }));
  for (const extra of filler.repos) {
    const repo = repos.find((r) => r.full_name.toLowerCase() === extra.full_name.toLowerCase());
    if (!repo) {
      repos.push(extra);
      continue;
    }
    repo.issues = [...(repo.issues ?? []), ...(extra.issues ?? [])];
    repo.pulls = [...(repo.pulls ?? []), ...(extra.pulls ?? [])];
    repo.timelines = { ...(repo.timelines ?? {}), ...(extra.timelines ?? {}) };
  }
  return { ...story, repos };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`demo scenario: ${file}: ${(error as Error).message}`);
  }
}

async function readYaml(file: string): Promise<unknown> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`demo scenario: ${file}: ${doc.errors[0].message}`);
  return doc.toJS();
}
