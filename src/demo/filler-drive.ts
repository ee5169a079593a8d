import { createHash } from 'node:crypto';
import type { drive_v3 } from '@googleapis/drive';
import { file } from '../../connectors/drive/sim-wire.js';
import { between, DAYS, fillTemplate, iso, pick, randomStream, workingMoment } from './filler-kit.js';
import type { FillerSpec } from './filler-spec.js';
import { type DemoPeople, personOf } from './people.js';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Filler files (drive_v3.Schema$File) in folders of drive.json: notes, sheets, evidence. */
export function driveFiller(spec: FillerSpec, people: DemoPeople, epoch: Date): drive_v3.Schema$File[] {
  return spec.drive.flatMap((group, index) => {
    const rand = randomStream(spec.seed, `drive:${group.folder}:${index}`);
    return Array.from({ length: group.count }, (_, i) => {
      const owner = personOf(people, pick(rand, group.owners));
      const created = workingMoment(epoch, between(rand, group.daysAgo[1], group.daysAgo[0]), rand);
      const modified = Math.min(epoch.getTime() - DAYS / 24, created + between(rand, 0, 2 * DAYS));
      const name = fillTemplate(pick(rand, group.titles), rand, spec.words, {
        n: String(i + 1),
        date: DATE.format(created),
      });
      const id = `1${createHash('sha256').update(`drive:${group.folder}:${index}:${i}`).digest('base64url').slice(0, 32)}`;
      const wire = file({
        id,
        name,
        parent: group.folder,
        mimeType: group.mimeType,
        owner: { email: owner.email, name: owner.name },
        at: iso(created),
      });
      return { ...wire, modifiedTime: iso(modified), version: String(1 + Math.floor(rand() * 40)) };
    });
  });
}
