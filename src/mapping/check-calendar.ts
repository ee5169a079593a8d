import Holidays from 'date-holidays';
import { closest, quote } from './describe-value.js';
import { issue, type MappingIssue, type MappingPath } from './mapping-error.js';
import type { WorkingHoursInput } from './mapping-schema.js';

const holidays = new Holidays();
let zoneNames: string[] | undefined;

/** Intl is the authority the SLA clock uses, so it decides which zones exist. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function checkWorkingHours(hours: WorkingHoursInput, path: MappingPath): MappingIssue[] {
  const out: MappingIssue[] = [];
  if (!isTimeZone(hours.timezone)) {
    zoneNames ??= Intl.supportedValuesOf('timeZone');
    const hint = closest(hours.timezone, zoneNames);
    out.push(
      issue(
        'bad_time_zone',
        [...path, 'timezone'],
        `unknown time zone ${quote(hours.timezone)}${hint ? ` (did you mean ${hint}?)` : ' (use an IANA name like Europe/Berlin)'}`,
      ),
    );
  }
  if (hours.end <= hours.start) {
    out.push(
      issue('working_hours_order', [...path, 'end'], `end ${hours.end} is not after start ${hours.start}`),
    );
  }
  if (hours.holidays) {
    const { country, region } = hours.holidays;
    const states = holidays.getStates(country);
    if (!holidays.getCountries()[country]) {
      out.push(
        issue(
          'unknown_holiday_calendar',
          [...path, 'holidays', 'country'],
          `no holiday calendar for country ${quote(country)}`,
        ),
      );
    } else if (region !== undefined && !states?.[region]) {
      const known = states ? Object.keys(states).join(', ') : 'none';
      out.push(
        issue(
          'unknown_holiday_calendar',
          [...path, 'holidays', 'region'],
          `no region ${quote(region)} in ${country}'s holiday calendar (regions: ${known})`,
        ),
      );
    }
  }
  return out;
}

/** `end` must not come before `start`; ISO dates compare as text. */
export function checkDateOrder(
  start: { name: string; value: string | undefined },
  end: { name: string; value: string | undefined; path: MappingPath },
): MappingIssue[] {
  if (start.value === undefined || end.value === undefined || start.value <= end.value) return [];
  return [issue('date_order', end.path, `${end.name} ${end.value} is before ${start.name} ${start.value}`)];
}
