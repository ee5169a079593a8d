import { createHash } from 'node:crypto';
import type { SeedMailbox } from '../../connectors/outlook/simulator.js';
import type { WireMessage } from '../../connectors/outlook/simulator-wire.js';
import {
  between,
  fillTemplate,
  HOURS,
  iso,
  pick,
  type Rand,
  randomStream,
  workingMoment,
} from './filler-kit.js';
import type { ApprovalGroup, FillerSpec, MessageGroup } from './filler-spec.js';
import { type DemoPeople, type DemoPerson, personOf } from './people.js';

/** A message copy to put in one mailbox folder. */
export interface PlacedMessage {
  mailbox: string;
  folder: string;
  message: Partial<WireMessage>;
}

/**
 * Filler mail in Graph's wire format: everyday messages (plain items no plan selects) and
 * answered approval conversations — the request in the requester's Sent Items, each answer in
 * her Inbox as a reply (a 27-byte conversationIndex, which is how the connector tells replies).
 * Ids derive from the spec, so a second run re-seeds byte-identical mail.
 */
export function outlookFiller(spec: FillerSpec, people: DemoPeople, epoch: Date): PlacedMessage[] {
  const out: PlacedMessage[] = [];
  spec.outlook.messages.forEach((group, index) => {
    const rand = randomStream(spec.seed, `outlook:messages:${group.mailbox}:${index}`);
    for (let i = 0; i < group.count; i++) out.push(plainMessage(group, i, index, rand, spec, people, epoch));
  });
  spec.outlook.approvals.forEach((group, index) => {
    const rand = randomStream(spec.seed, `outlook:approvals:${group.requester}:${index}`);
    for (let i = 0; i < group.count; i++)
      out.push(...approvalThread(group, i, index, rand, spec, people, epoch));
  });
  return out;
}

export function mergeMessages(mailboxes: SeedMailbox[], placed: PlacedMessage[]): SeedMailbox[] {
  const result = mailboxes.map((m) => ({ ...m, folders: { ...(m.folders ?? {}) } }));
  for (const { mailbox, folder, message } of placed) {
    const target = result.find((m) => m.user.toLowerCase() === mailbox.toLowerCase());
    if (!target) throw new Error(`demo filler: no mailbox ${mailbox} in outlook.json`);
    target.folders[folder] = [...(target.folders[folder] ?? []), message];
  }
  return result;
}

const digest = (salt: string) => createHash('sha256').update(salt).digest();
const graphId = (prefix: string, salt: string) => `${prefix}${digest(salt).toString('base64url')}AAA=`;

function rootIndex(at: number, salt: string): string {
  const filetime = (BigInt(at) + 11_644_473_600_000n) * 10_000n;
  const header = Buffer.alloc(6);
  header[0] = 0x01;
  for (let i = 0; i < 5; i++) header[1 + i] = Number(((filetime >> 24n) >> BigInt(8 * (4 - i))) & 0xffn);
  return Buffer.concat([header, digest(salt).subarray(0, 16)]).toString('base64');
}

const childIndex = (parent: string, salt: string) =>
  Buffer.concat([Buffer.from(parent, 'base64'), digest(salt).subarray(0, 5)]).toString('base64');

const address = (p: DemoPerson) => ({ emailAddress: { name: p.name, address: p.email } });

function message(input: {
  salt: string;
  from: DemoPerson;
  to: DemoPerson[];
  subject: string;
  preview: string;
  at: number;
  conversationId: string;
  conversationIndex: string;
}): Partial<WireMessage> {
  const at = iso(input.at);
  return {
    id: graphId('AAMkAGI2', `message:${input.salt}`),
    subject: input.subject,
    bodyPreview: input.preview,
    body: { contentType: 'text', content: input.preview },
    from: address(input.from),
    sender: address(input.from),
    toRecipients: input.to.map(address),
    ccRecipients: [],
    conversationId: input.conversationId,
    conversationIndex: input.conversationIndex,
    internetMessageId: `<${digest(`imid:${input.salt}`).toString('hex').slice(0, 24).toUpperCase()}@acme.example>`,
    sentDateTime: at,
    receivedDateTime: at,
    createdDateTime: at,
    lastModifiedDateTime: at,
    isRead: true,
    categories: [],
  };
}

function plainMessage(
  group: MessageGroup,
  i: number,
  index: number,
  rand: Rand,
  spec: FillerSpec,
  people: DemoPeople,
  epoch: Date,
): PlacedMessage {
  const owner = personOf(people, group.mailbox);
  const salt = `plain:${group.mailbox}:${index}:${i}`;
  const at = workingMoment(epoch, between(rand, group.daysAgo[1], group.daysAgo[0]), rand);
  const values = { n: String(i + 1) };
  return {
    mailbox: owner.email,
    folder: 'inbox',
    message: message({
      salt,
      from: personOf(people, pick(rand, group.senders)),
      to: [owner],
      subject: fillTemplate(pick(rand, group.subjects), rand, spec.words, values),
      preview: fillTemplate(pick(rand, group.previews), rand, spec.words, values),
      at: Math.min(at, epoch.getTime() - HOURS),
      conversationId: graphId('AAQkAGI2', `conversation:${salt}`),
      conversationIndex: rootIndex(at, salt),
    }),
  };
}

function approvalThread(
  group: ApprovalGroup,
  i: number,
  index: number,
  rand: Rand,
  spec: FillerSpec,
  people: DemoPeople,
  epoch: Date,
): PlacedMessage[] {
  const requester = personOf(people, group.requester);
  const approvers = group.approvers.map((key) => personOf(people, key));
  const salt = `approval:${group.requester}:${index}:${i}`;
  const sentAt = workingMoment(epoch, between(rand, group.daysAgo[1], group.daysAgo[0]), rand);
  const subject = `[Approval] ${fillTemplate(pick(rand, group.subjects), rand, spec.words, { n: String(i + 1) })}`;
  const conversationId = graphId('AAQkAGI2', `conversation:${salt}`);
  const root = rootIndex(sentAt, salt);
  const request = message({
    salt,
    from: requester,
    to: approvers,
    subject,
    preview: `${approvers.map((a) => a.name.split(' ')[0]).join(', ')}, may I have your decision on this by Friday?`,
    at: sentAt,
    conversationId,
    conversationIndex: root,
  });
  const answers = approvers.map((approver, n) => {
    const at = Math.min(epoch.getTime() - HOURS, sentAt + between(rand, 1 * HOURS, 30 * HOURS)) + n;
    const replySalt = `${salt}:answer:${approver.key}`;
    return {
      mailbox: requester.email,
      folder: 'inbox',
      message: message({
        salt: replySalt,
        from: approver,
        to: [requester],
        subject: `RE: ${subject}`,
        preview: `${pick(rand, group.answers)}\r\n\r\nFrom: ${requester.name} <${requester.email}>`,
        at,
        conversationId,
        conversationIndex: childIndex(root, replySalt),
      }),
    };
  });
  return [{ mailbox: requester.email, folder: 'sentitems', message: request }, ...answers];
}
