/**
 * The scenario files are written as if their epoch were now. Each run shifts every timestamp in
 * them by the same amount (whole weeks, so weekdays and working hours stay where the story put
 * them), keeping each value's own wire format: GitHub's `…Z` without milliseconds, Jira's
 * `+0100` offsets, Graph's seven-digit fractions without a zone, plain dates.
 */

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Graph writes "no time" as 0001-01-01; such placeholders are not moments and stay as they are. */
const EARLIEST_YEAR = 2000;

export function shiftTimes<T>(value: T, ms: number): T {
  if (ms === 0) return value;
  return shift(value, ms) as T;
}

function shift(value: unknown, ms: number): unknown {
  if (typeof value === 'string') return shiftText(value, ms);
  if (Array.isArray(value)) return value.map((entry) => shift(entry, ms));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, shift(entry, ms)]));
  }
  return value;
}

export function shiftText(text: string, ms: number): string {
  if (DATE.test(text)) {
    if (Number(text.slice(0, 4)) < EARLIEST_YEAR) return text;
    const day = new Date(Date.parse(`${text}T00:00:00Z`) + Math.round(ms / DAY_MS) * DAY_MS);
    return day.toISOString().slice(0, 10);
  }
  const match = STAMP.exec(text);
  if (!match || Number(text.slice(0, 4)) < EARLIEST_YEAR) return text;
  const [, wall, fraction = '', zone] = match;
  const offsetMs = zoneOffsetMs(zone);
  const fractionMs = fraction ? Math.round(Number(`0${fraction}`) * 1000) : 0;
  const instant = Date.parse(`${wall}Z`) + fractionMs - offsetMs + ms;
  const local = new Date(instant + offsetMs).toISOString();
  return `${local.slice(0, 19)}${renderFraction(local, fraction)}${zone ?? ''}`;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (digits.startsWith('-') ? -minutes : minutes) * 60_000;
}

/** Keeps the original number of fraction digits (milliseconds, padded with zeros past three). */
function renderFraction(iso: string, original: string): string {
  if (!original) return '';
  const digits = original.length - 1;
  return `.${iso.slice(20, 23).padEnd(digits, '0').slice(0, digits)}`;
}
