import { TZDate } from '@date-fns/tz';
import Holidays from 'date-holidays';
import type { WorkingHours } from './plan.js';

/**
 * Business time: time counted only inside someone's working hours, in their time zone, on
 * their working days, skipping public holidays and days off. Pure and deterministic; local
 * times are turned into instants by @date-fns/tz, so DST changes are the tz database's, never
 * a hand-rolled offset.
 *
 * A working day's window is [start, end) local time. Windows of consecutive local days never
 * overlap (end is at most 24:00), which lets every walk below go day by day.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A calendar with no working time for this long is a mistake, not a long weekend. */
const MAX_IDLE_DAYS = 366 * 2;
const WEEKDAYS: WorkingHours['days'][number][] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const DEFAULT_WORKING_HOURS: WorkingHours = {
  timezone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
  daysOff: [],
};

export class CalendarError extends Error {
  readonly code = 'no_working_time';
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

export interface WorkingWindow {
  /** Local date, YYYY-MM-DD. */
  date: string;
  start: number;
  end: number;
}

// date-holidays loads every country's rules: one instance per country/region, one set per year.
const holidayCalendars = new Map<string, Holidays>();
const holidayYears = new Map<string, ReadonlySet<string>>();

function publicHolidays(country: string, region: string | undefined, year: number): ReadonlySet<string> {
  const key = `${country}|${region ?? ''}|${year}`;
  let dates = holidayYears.get(key);
  if (!dates) {
    const instanceKey = `${country}|${region ?? ''}`;
    let calendar = holidayCalendars.get(instanceKey);
    if (!calendar) {
      calendar = region ? new Holidays(country, region) : new Holidays(country);
      holidayCalendars.set(instanceKey, calendar);
    }
    // Only days off for everyone count: not bank, school, optional or observance days.
    dates = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayYears.set(key, dates);
  }
  return dates;
}

const minutesOf = (clock: string) => {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
};

/** Someone's working time. Windows are computed once per local day and kept. */
export class WorkingCalendar {
  readonly timezone: string;
  readonly #days: ReadonlySet<string>;
  readonly #start: number;
  readonly #end: number;
  readonly #daysOff: ReadonlySet<string>;
  readonly #holidays: WorkingHours['holidays'];
  readonly #windows = new Map<number, WorkingWindow | null>();

  constructor(hours: WorkingHours, extraDaysOff: readonly string[] = []) {
    this.timezone = hours.timezone;
    this.#days = new Set(hours.days);
    this.#start = minutesOf(hours.start);
    this.#end = minutesOf(hours.end);
    this.#daysOff = new Set([...hours.daysOff, ...extraDaysOff]);
    this.#holidays = hours.holidays;
  }

  /** True when the local date is a public holiday or a day off (whatever the weekday). */
  isDayOff(date: string): boolean {
    if (this.#daysOff.has(date)) return true;
    if (!this.#holidays) return false;
    return publicHolidays(this.#holidays.country, this.#holidays.region, Number(date.slice(0, 4))).has(date);
  }

  /** The working window of a local date given as days since 1970-01-01, or null for a day off. */
  window(day: number): WorkingWindow | null {
    let window = this.#windows.get(day);
    if (window === undefined) {
      window = this.#computeWindow(day);
      if (this.#windows.size > 20_000) this.#windows.clear();
      this.#windows.set(day, window);
    }
    return window;
  }

  #computeWindow(day: number): WorkingWindow | null {
    // Calendar arithmetic on the date label only; the time zone enters through TZDate below.
    const label = new Date(day * DAY_MS);
    const date = label.toISOString().slice(0, 10);
    if (!this.#days.has(WEEKDAYS[label.getUTCDay()]) || this.isDayOff(date)) return null;
    const [y, m, d] = [label.getUTCFullYear(), label.getUTCMonth(), label.getUTCDate()];
    const at = (minutes: number) =>
      new TZDate(y, m, d, Math.floor(minutes / 60), minutes % 60, this.timezone).getTime();
    const start = at(this.#start);
    const end = at(this.#end);
    return end > start ? { date, start, end } : null;
  }
}

const calendars = new Map<string, WorkingCalendar>();

/** A calendar for working hours plus extra days off; equal inputs share one (warm) calendar. */
export function workingCalendar(
  hours: WorkingHours = DEFAULT_WORKING_HOURS,
  extraDaysOff: readonly string[] = [],
): WorkingCalendar {
  const key = JSON.stringify([hours, extraDaysOff]);
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = new WorkingCalendar(hours, extraDaysOff);
    if (calendars.size > 1_000) calendars.clear();
    calendars.set(key, calendar);
  }
  return calendar;
}

/** The local date of an instant is within a day of its UTC date: start the walk one day early. */
const firstDay = (ms: number) => Math.floor(ms / DAY_MS) - 1;

/** Working windows that end after `ms`, in order (the first may contain `ms`). */
function* windowsFrom(ms: number, calendar: WorkingCalendar): Generator<WorkingWindow> {
  let idle = 0;
  for (let day = firstDay(ms); ; day++) {
    const window = calendar.window(day);
    if (window && window.end > ms) {
      idle = 0;
      yield window;
    } else if (++idle > MAX_IDLE_DAYS) {
      throw new CalendarError(`no working time within ${MAX_IDLE_DAYS} days in ${calendar.timezone}`);
    }
  }
}

export function isWorkingTime(t: Date, calendar: WorkingCalendar): boolean {
  const ms = t.getTime();
  for (let day = firstDay(ms); day <= firstDay(ms) + 2; day++) {
    const window = calendar.window(day);
    if (window && window.start <= ms && ms < window.end) return true;
  }
  return false;
}

/** `t` itself when it is working time, else the start of the next working window. */
export function nextWorkingInstant(t: Date, calendar: WorkingCalendar): Date {
  const window = workingWindowAt(t, calendar);
  return new Date(Math.max(t.getTime(), window.start));
}

/** The working window containing `t`, or the next one. */
export function workingWindowAt(t: Date, calendar: WorkingCalendar): WorkingWindow {
  for (const window of windowsFrom(t.getTime(), calendar)) return window;
  throw new CalendarError('unreachable');
}

/**
 * The earliest instant at which `minutes` of business time have passed since `start`. Time
 * before the first working window (a handoff opened on a Saturday night) does not count.
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: WorkingCalendar): Date {
  if (!(minutes >= 0)) throw new RangeError(`business minutes must be >= 0, not ${minutes}`);
  let remaining = Math.round(minutes * MINUTE_MS);
  const ms = start.getTime();
  if (remaining === 0) return new Date(ms);
  for (const window of windowsFrom(ms, calendar)) {
    const from = Math.max(ms, window.start);
    const available = window.end - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
  }
  throw new CalendarError('unreachable');
}

/** Business minutes between two instants (0 when `b` is not after `a`). */
export function businessMinutesBetween(a: Date, b: Date, calendar: WorkingCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  let total = 0;
  for (let day = firstDay(from); day <= firstDay(to) + 2; day++) {
    const window = calendar.window(day);
    if (!window) continue;
    const overlap = Math.min(to, window.end) - Math.max(from, window.start);
    if (overlap > 0) total += overlap;
  }
  return total / MINUTE_MS;
}

/**
 * `days` working days of business time from `start`: from 10:00 on a working day, the same
 * local time `days` working days later; from the start of a window (or from off-hours), the
 * end of the `days`-th working day. A window shortened by a DST change spills into the next.
 */
export function addWorkingDays(start: Date, days: number, calendar: WorkingCalendar): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`working days must be a whole number >= 1`);
  const begin = nextWorkingInstant(start, calendar);
  const windows = windowsFrom(begin.getTime(), calendar);
  const first = windows.next().value as WorkingWindow;
  const offset = begin.getTime() - first.start;
  let last = first;
  for (let n = 1; n < days; n++) last = windows.next().value as WorkingWindow;
  if (offset === 0) return new Date(last.end);
  const target = windows.next().value as WorkingWindow;
  return addBusinessMinutes(new Date(target.start), offset / MINUTE_MS, calendar);
}
