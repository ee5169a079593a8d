import type { DemoWorld } from './world.js';

const EVERY_MS = 1_000;

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0 && !line.startsWith('<!--')) ?? '';

const clip = (text: string, max = 110) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The text of an ADF document (Jira comment bodies), flattened. */
function adfText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return [n.text ?? '', ...(n.content ?? []).map(adfText)].join(' ').replace(/\s+/g, ' ').trim();
}

/**
 * Prints what Baton writes back into the tools — comments on issues, pull requests and files,
 * and mail — as it lands in the simulators. It only reads the lists each simulator keeps.
 */
export class AlertsWatch {
  #seen = { github: 0, jira: 0, outlook: 0, drive: 0 };
  #timer: NodeJS.Timeout | undefined;
  readonly lines: string[] = [];

  constructor(
    private readonly world: DemoWorld,
    private readonly print: (line: string) => void,
  ) {}

  start(): void {
    this.#timer = setInterval(() => this.check(), EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.check();
  }

  check(): void {
    const { github, jira, outlook, drive } = this.world;
    for (const c of github?.postedComments.slice(this.#seen.github) ?? []) {
      this.emit(`GitHub comment on ${c.repo}#${c.number}: ${firstLine(c.body)}`);
    }
    for (const c of jira?.sentComments.slice(this.#seen.jira) ?? []) {
      const key = jira?.issue(c.issueId)?.key ?? c.issueIdOrKey;
      this.emit(`Jira comment on ${key}: ${firstLine(adfText(c.body))}`);
    }
    for (const m of outlook?.sentMail.slice(this.#seen.outlook) ?? []) {
      const to = (m.message.toRecipients ?? []).map((r) => r.emailAddress?.address).join(', ');
      this.emit(`mail to ${to}: ${m.message.subject ?? '(no subject)'}`);
    }
    for (const c of drive?.postedComments.slice(this.#seen.drive) ?? []) {
      const name = drive?.data.files.get(c.fileId)?.name ?? c.fileId;
      this.emit(`Drive comment on "${name}": ${firstLine(c.content)}`);
    }
    this.#seen = {
      github: github?.postedComments.length ?? 0,
      jira: jira?.sentComments.length ?? 0,
      outlook: outlook?.sentMail.length ?? 0,
      drive: drive?.postedComments.length ?? 0,
    };
  }

  private emit(text: string): void {
    const line = clip(`alert ⟶ ${text}`, 160);
    this.lines.push(line);
    this.print(line);
  }
}
