/** Pure date and key rules of the reminders (no Nest, no I/O). */
import { DateTime } from 'luxon';

export const REMINDER_ZONE = 'Europe/Stockholm';

/** The Stockholm calendar day of `now`: its date and its bounds as instants. */
export function stockholmDay(now: Date): { date: string; start: Date; end: Date } {
  const local = DateTime.fromJSDate(now, { zone: REMINDER_ZONE }).startOf('day');
  return {
    date: local.toISODate()!,
    start: local.toJSDate(),
    end: local.plus({ days: 1 }).toJSDate(),
  };
}

/** Daily reminders are written from this local hour on, so the day's steps are all there. */
export function isPastDailyHour(now: Date, hour: number): boolean {
  return DateTime.fromJSDate(now, { zone: REMINDER_ZONE }).hour >= hour;
}

/** One digest per user and day, whoever runs the scan and however often. */
export function nextStepsDedupKey(userId: string, date: string): string {
  return `reminder:next-steps:${userId}:${date}`;
}

/** One reminder per claim and end time (a claim extended later gets a new one). */
export function claimExpiringDedupKey(claimId: string, validUntil: Date): string {
  return `reminder:claim-expiring:${claimId}:${validUntil.getTime()}`;
}
