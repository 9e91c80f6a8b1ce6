import { DateTime } from 'luxon';
import { getHolidays, language, type IHolidayNames } from 'swedish-holidays';

export const STOCKHOLM = 'Europe/Stockholm';

/** Hours are local wall-clock hours in `tz`; `endHour` is exclusive (17 means until 16:59:59). */
export interface SendingWindow {
  startHour: number;
  endHour: number;
  tz: string;
}

export const DEFAULT_SENDING_WINDOW: Readonly<SendingWindow> = Object.freeze({
  startHour: 8,
  endHour: 17,
  tz: STOCKHOLM,
});

// The library flags these eves as ordinary days (isPublicHoliday: false), but nearly every
// Swedish workplace is closed and an email sent then is read after the holiday anyway.
// Other eves it lists (trettondagsafton, skärtorsdagen, valborgsmässoafton, allhelgonaafton)
// are working days; påskafton and pingstafton always fall on a Saturday.
const DE_FACTO_HOLIDAYS: ReadonlySet<keyof IHolidayNames> = new Set<keyof IHolidayNames>([
  'midsummerEve',
  'christmasEve',
  'newYearsEve',
]);

// Naming each holiday by its key makes the filter independent of the display language.
const KEYS_AS_NAMES = Object.fromEntries(
  Object.keys(language).map((key) => [key, key]),
) as unknown as IHolidayNames;

const DAY_MS = 24 * 60 * 60 * 1000;
// Longest stretch without a business day is about five days (julafton to the weekend after);
// the bound only protects against a broken holiday table.
const MAX_DAYS_TO_SCAN = 31;

const nonBusinessDaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * The library builds its dates in the process's local zone and hands back UTC midnight,
 * shifted by up to a DST hour in some zones. Rounding to the nearest UTC midnight gives the
 * intended calendar date whatever TZ the server runs in.
 */
function calendarDate(libraryDate: Date): string {
  return new Date(Math.round(libraryDate.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Holidays that close Swedish workplaces in `year`, as YYYY-MM-DD (weekends not included). */
export function swedishNonBusinessDates(year: number): ReadonlySet<string> {
  let dates = nonBusinessDaysByYear.get(year);
  if (!dates) {
    dates = new Set(
      getHolidays(year, KEYS_AS_NAMES)
        .filter((h) => h.isPublicHoliday || DE_FACTO_HOLIDAYS.has(h.name as keyof IHolidayNames))
        .map((h) => calendarDate(h.date)),
    );
    nonBusinessDaysByYear.set(year, dates);
  }
  return dates;
}

function isBusinessLocalDay(day: DateTime): boolean {
  // Luxon weekdays: 1 = Monday ... 7 = Sunday.
  return day.weekday <= 5 && !swedishNonBusinessDates(day.year).has(day.toISODate()!);
}

function assertValidDate(date: Date, what: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError(`${what} must be a valid Date`);
  }
}

function toZone(date: Date, tz: string): DateTime {
  const local = DateTime.fromJSDate(date, { zone: tz });
  if (!local.isValid) {
    throw new RangeError(`Unknown time zone: ${tz}`);
  }
  return local;
}

/** False on Saturdays, Sundays, public holidays and midsommar-, jul- and nyårsafton. */
export function isSwedishBusinessDay(date: Date, tz: string = STOCKHOLM): boolean {
  assertValidDate(date, 'date');
  return isBusinessLocalDay(toZone(date, tz));
}

/** Same rule for a calendar date such as a `DATE` column (`2026-12-24`). */
export function isSwedishBusinessDate(isoDate: string): boolean {
  const day = DateTime.fromISO(isoDate, { zone: 'UTC' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || !day.isValid) {
    throw new RangeError(`Expected a date as YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
  }
  return isBusinessLocalDay(day);
}

function assertWindow(window: SendingWindow): void {
  const { startHour, endHour } = window;
  if (
    !Number.isInteger(startHour) ||
    !Number.isInteger(endHour) ||
    startHour < 0 ||
    endHour > 24 ||
    startHour >= endHour
  ) {
    throw new RangeError(
      `Sending window hours must be integers with 0 <= startHour < endHour <= 24, got ${startHour}-${endHour}`,
    );
  }
}

/** Start and end instants of the window on `day`, or null when a DST jump swallows it. */
function windowOn(day: DateTime, window: SendingWindow): { start: DateTime; end: DateTime } | null {
  const midnight = day.startOf('day');
  const start = midnight.set({ hour: window.startHour });
  const end =
    window.endHour === 24 ? midnight.plus({ days: 1 }) : midnight.set({ hour: window.endHour });
  return start < end ? { start, end } : null;
}

/**
 * The first moment at or after `at` when an email may go out: `at` itself when it is inside
 * the window on a business day, else the start of the window on the next business day
 * (Friday 18:00 → Monday 08:00; 24 Dec 10:00 → first business day after Christmas 08:00).
 */
export function nextSendingMoment(at: Date, window: SendingWindow = DEFAULT_SENDING_WINDOW): Date {
  assertValidDate(at, 'at');
  assertWindow(window);
  let day = toZone(at, window.tz);
  for (let i = 0; i < MAX_DAYS_TO_SCAN; i++) {
    const slot = isBusinessLocalDay(day) ? windowOn(day, window) : null;
    if (slot) {
      if (at.getTime() < slot.start.toMillis()) {
        return slot.start.toJSDate();
      }
      if (at.getTime() < slot.end.toMillis()) {
        return new Date(at.getTime());
      }
    }
    day = day.startOf('day').plus({ days: 1 });
  }
  throw new Error(`No business day within ${MAX_DAYS_TO_SCAN} days of ${at.toISOString()}`);
}

/**
 * Moves `n` business days forward (or back when negative), keeping the local time of day.
 * The starting day does not count, whether or not it is a business day.
 */
export function addBusinessDays(date: Date, n: number, tz: string = STOCKHOLM): Date {
  assertValidDate(date, 'date');
  if (!Number.isInteger(n)) {
    throw new RangeError(`n must be an integer, got ${n}`);
  }
  if (n === 0) {
    return new Date(date.getTime());
  }
  const step = n < 0 ? -1 : 1;
  const start = toZone(date, tz);
  let offset = 0;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    offset += step;
    // Always from the start, so a DST gap on a day passed over does not shift the time.
    if (isBusinessLocalDay(start.plus({ days: offset }))) {
      remaining--;
    }
  }
  return start.plus({ days: offset }).toJSDate();
}
