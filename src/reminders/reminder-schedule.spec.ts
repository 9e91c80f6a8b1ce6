import {
  claimExpiringDedupKey,
  isPastDailyHour,
  nextStepsDedupKey,
  stockholmDay,
} from './reminder-schedule';

describe('reminder schedule', () => {
  it('takes the day in Stockholm, not in UTC', () => {
    // 23:30 UTC on 18 November is already the 19th in Stockholm (CET, UTC+1).
    expect(stockholmDay(new Date('2026-11-18T23:30:00Z'))).toEqual({
      date: '2026-11-19',
      start: new Date('2026-11-18T23:00:00Z'),
      end: new Date('2026-11-19T23:00:00Z'),
    });
    // Summer time (CEST, UTC+2).
    expect(stockholmDay(new Date('2026-06-10T22:30:00Z')).date).toBe('2026-06-11');
  });

  it('writes daily reminders only from the configured local hour', () => {
    expect(isPastDailyHour(new Date('2026-11-18T05:59:00Z'), 7)).toBe(false); // 06:59
    expect(isPastDailyHour(new Date('2026-11-18T06:00:00Z'), 7)).toBe(true); // 07:00
  });

  it('derives deterministic dedup keys', () => {
    expect(nextStepsDedupKey('u1', '2026-11-18')).toBe('reminder:next-steps:u1:2026-11-18');
    expect(claimExpiringDedupKey('c1', new Date('2026-11-19T15:00:00Z'))).toBe(
      'reminder:claim-expiring:c1:1795100400000',
    );
  });
});
