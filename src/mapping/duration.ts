/** A parsed SLA duration: business minutes, or whole working days. */
export type Duration = { minutes: number } | { days: number };

export type DurationResult = { ok: true; duration: Duration } | { ok: false; reason: string };

const pattern = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/;

/**
 * `30m`, `8h`, `1.5h`, `2d`. Days stay days: a working day's length is the receiver's, so the
 * SLA clock, not the loader, turns them into time. Parts of a day are written in hours, and
 * minutes are whole, so a file never asks for a precision the clock does not keep.
 */
export function parseDuration(text: string): DurationResult {
  const match = pattern.exec(text.trim());
  if (!match) return { ok: false, reason: `${JSON.stringify(text)} is not a duration like 30m, 8h or 2d` };
  const amount = Number(match[1]);
  const unit = match[2];
  if (!(amount > 0)) return { ok: false, reason: `${JSON.stringify(text)} must be longer than zero` };
  if (unit === 'd') {
    if (!Number.isInteger(amount)) {
      return {
        ok: false,
        reason: `${JSON.stringify(text)}: working days are whole; write parts of a day in hours`,
      };
    }
    return { ok: true, duration: { days: amount } };
  }
  const minutes = unit === 'h' ? amount * 60 : amount;
  if (!Number.isInteger(minutes)) {
    return { ok: false, reason: `${JSON.stringify(text)} is not a whole number of minutes` };
  }
  return { ok: true, duration: { minutes } };
}
