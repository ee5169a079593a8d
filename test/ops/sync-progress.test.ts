import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatSeconds, syncReporter } from '../../src/cli/sync-progress.js';

/** A stream that says it is (or is not) a terminal and keeps what was written, each escape a line break. */
function stream(isTTY: boolean) {
  let text = '';
  const out = new Writable({
    write(chunk, _encoding, done) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is removed
      text += String(chunk).replace(/\u001b(\[[0-9;?]*[A-Za-z]|[78])/g, '\n');
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(out, { isTTY, columns: 160 });
  return { out, text: () => text };
}

const clockAt = (seconds: number[]) => {
  let i = 0;
  return () => seconds[Math.min(i++, seconds.length - 1)] * 1000;
};

describe('baton sync progress', () => {
  it('prints one plain line per page when stdout is not a terminal', () => {
    const { out, text } = stream(false);
    const reporter = syncReporter('github', out, clockAt([0, 2, 4]));
    reporter.page({ pages: 1, records: 100, applied: 40 });
    reporter.page({ pages: 2, records: 300, applied: 41 });
    reporter.finish();
    expect(text()).toBe(
      'github: 1 pages, 100 records, 40 changed, 50 records/s\n' +
        'github: 2 pages, 300 records, 41 changed, 75 records/s\n',
    );
  });

  it('draws items, pages and rate on a terminal, without an ETA when no total is known', () => {
    const { out, text } = stream(true);
    const reporter = syncReporter('github', out, clockAt([0, 2]));
    reporter.page({ pages: 3, records: 250, applied: 12 });
    reporter.finish();
    const last = text()
      .split(/[\r\n]+/)
      .filter(Boolean)
      .at(-1);
    expect(last).toMatch(/^github 250 items \| 3 pages \| 12 changed \| 125 items\/s \| \d+s$/);
    expect(text()).not.toContain('ETA');
  });

  it('adds a bar and an ETA when the connector knows the total', () => {
    const { out, text } = stream(true);
    const reporter = syncReporter('drive', out, clockAt([0, 5]));
    reporter.page({ pages: 1, records: 50, applied: 50, total: 200 });
    reporter.finish();
    const last = text()
      .split(/[\r\n]+/)
      .filter(Boolean)
      .at(-1);
    expect(last).toMatch(
      /^drive \[={6}-{18}\] 50\/200 items \| 1 pages \| 50 changed \| 10 items\/s \| ETA \S+$/,
    );
  });

  it('formats durations for people', () => {
    expect([formatSeconds(5), formatSeconds(125), formatSeconds(7260), formatSeconds(Number.NaN)]).toEqual([
      '5s',
      '2m05s',
      '2h01m',
      '?',
    ]);
  });
});
