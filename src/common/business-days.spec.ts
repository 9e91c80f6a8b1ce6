import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  DEFAULT_SENDING_WINDOW,
  type SendingWindow,
  addBusinessDays,
  isSwedishBusinessDate,
  isSwedishBusinessDay,
  nextSendingMoment,
  swedishNonBusinessDates,
} from './business-days';

// Wall-clock time in Stockholm, as a Date.
function sthlm(local: string): Date {
  const dt = DateTime.fromISO(local, { zone: 'Europe/Stockholm' });
  if (!dt.isValid) {
    throw new Error(`bad test date ${local}`);
  }
  return dt.toJSDate();
}

function inSthlm(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'Europe/Stockholm' }).toFormat("yyyy-MM-dd'T'HH:mm ccc");
}

describe('swedishNonBusinessDates', () => {
  it('lists the public holidays of 2026 plus midsommar-, jul- and nyårsafton', () => {
    expect([...swedishNonBusinessDates(2026)].sort()).toEqual([
      '2026-01-01', // nyårsdagen
      '2026-01-06', // trettondedag jul
      '2026-04-03', // långfredagen
      '2026-04-05', // påskdagen
      '2026-04-06', // annandag påsk
      '2026-05-01', // första maj
      '2026-05-14', // kristi himmelsfärdsdag
      '2026-05-24', // pingstdagen
      '2026-06-06', // nationaldagen
      '2026-06-19', // midsommarafton (de facto)
      '2026-06-20', // midsommardagen
      '2026-10-31', // alla helgons dag
      '2026-12-24', // julafton (de facto)
      '2026-12-25', // juldagen
      '2026-12-26', // annandag jul
      '2026-12-31', // nyårsafton (de facto)
    ]);
  });

  it('moves Easter and midsummer with the year', () => {
    const y2027 = swedishNonBusinessDates(2027);
    expect(y2027.has('2027-03-26')).toBe(true); // långfredagen
    expect(y2027.has('2027-03-29')).toBe(true); // annandag påsk
    expect(y2027.has('2027-05-06')).toBe(true); // kristi himmelsfärdsdag
    expect(y2027.has('2027-06-25')).toBe(true); // midsommarafton
  });

  // The library computes in the process's local zone; its own day/month fields are wrong
  // west of UTC. The server's TZ must not change which days are holidays.
  it('gives the same dates whatever TZ the process runs in', () => {
    const script = `
      const { swedishNonBusinessDates } = require('./src/common/business-days.ts');
      const out = {};
      for (let y = 2000; y <= 2040; y++) out[y] = [...swedishNonBusinessDates(y)].sort();
      process.stdout.write(JSON.stringify(out));
    `;
    const expected: Record<string, string[]> = {};
    for (let y = 2000; y <= 2040; y++) {
      expected[y] = [...swedishNonBusinessDates(y)].sort();
    }
    const zones = ['UTC', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Tokyo'];
    for (const tz of zones) {
      const child = spawnSync(process.execPath, ['-r', 'ts-node/register', '-e', script], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, TZ: tz, TS_NODE_TRANSPILE_ONLY: '1' },
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect({ tz, dates: JSON.parse(child.stdout) }).toEqual({ tz, dates: expected });
    }
  }, 60_000);
});

describe('isSwedishBusinessDay', () => {
  it.each([
    ['2026-03-17T12:00', true, 'an ordinary Tuesday'],
    ['2026-03-21T12:00', false, 'Saturday'],
    ['2026-03-22T12:00', false, 'Sunday'],
    ['2026-01-01T12:00', false, 'nyårsdagen'],
    ['2026-01-05T12:00', true, 'trettondagsafton is a working day'],
    ['2026-01-06T12:00', false, 'trettondedag jul'],
    ['2026-04-02T12:00', true, 'skärtorsdagen is a working day'],
    ['2026-04-03T12:00', false, 'långfredagen'],
    ['2026-04-06T12:00', false, 'annandag påsk'],
    ['2026-04-30T12:00', true, 'valborgsmässoafton is a working day'],
    ['2026-05-01T12:00', false, 'första maj'],
    ['2026-05-14T12:00', false, 'kristi himmelsfärdsdag'],
    ['2025-06-06T12:00', false, 'nationaldagen on a Friday'],
    ['2026-06-19T12:00', false, 'midsommarafton'],
    ['2026-10-30T12:00', true, 'allhelgonaafton is a working day'],
    ['2026-12-24T12:00', false, 'julafton'],
    ['2026-12-25T12:00', false, 'juldagen'],
    ['2026-12-31T12:00', false, 'nyårsafton'],
    ['2027-12-24T12:00', false, 'julafton 2027'],
  ])('%s is %p (%s)', (local, expected) => {
    expect(isSwedishBusinessDay(sthlm(local))).toBe(expected);
  });

  it('judges the day in the given zone', () => {
    // 23:30 UTC on 23 Dec is already julafton in Stockholm.
    const instant = new Date('2026-12-23T23:30:00Z');
    expect(isSwedishBusinessDay(instant)).toBe(false);
    expect(isSwedishBusinessDay(instant, 'UTC')).toBe(true);
  });

  it('refuses an invalid date or zone', () => {
    expect(() => isSwedishBusinessDay(new Date('nope'))).toThrow(RangeError);
    expect(() => isSwedishBusinessDay(new Date(), 'Mars/Olympus_Mons')).toThrow(
      'Unknown time zone',
    );
  });
});

describe('isSwedishBusinessDate', () => {
  it('reads calendar dates', () => {
    expect(isSwedishBusinessDate('2026-12-23')).toBe(true);
    expect(isSwedishBusinessDate('2026-12-24')).toBe(false);
    expect(isSwedishBusinessDate('2026-12-27')).toBe(false);
  });

  it.each(['2026-02-30', '2026-12-24T10:00', '24/12/2026', ''])('refuses %p', (s) => {
    expect(() => isSwedishBusinessDate(s)).toThrow(RangeError);
  });
});

describe('nextSendingMoment', () => {
  it.each([
    ['2026-03-17T12:34:56.789', '2026-03-17T12:34 Tue', 'inside the window: unchanged'],
    ['2026-03-17T08:00', '2026-03-17T08:00 Tue', 'exactly at the start'],
    ['2026-03-17T06:30', '2026-03-17T08:00 Tue', 'early morning: same day 08:00'],
    ['2026-03-17T00:00', '2026-03-17T08:00 Tue', 'midnight: same day 08:00'],
    ['2026-03-17T16:59:59.999', '2026-03-17T16:59 Tue', 'last millisecond'],
    ['2026-03-17T17:00', '2026-03-18T08:00 Wed', 'the end is exclusive'],
    ['2026-03-13T18:00', '2026-03-16T08:00 Mon', 'Friday evening: Monday morning'],
    ['2026-03-14T11:00', '2026-03-16T08:00 Mon', 'Saturday'],
    ['2026-12-24T10:00', '2026-12-28T08:00 Mon', 'julafton: after Christmas weekend'],
    ['2026-12-23T17:30', '2026-12-28T08:00 Mon', 'evening before julafton'],
    ['2026-12-31T10:00', '2027-01-04T08:00 Mon', 'nyårsafton'],
    ['2026-04-02T17:00', '2026-04-07T08:00 Tue', 'Easter'],
    ['2026-06-18T20:00', '2026-06-22T08:00 Mon', 'midsummer'],
    ['2026-05-13T17:00', '2026-05-15T08:00 Fri', 'Ascension Day'],
  ])('%s → %s (%s)', (local, expected) => {
    expect(inSthlm(nextSendingMoment(sthlm(local)))).toBe(expected);
  });

  it('returns the very instant when inside the window, as a new Date', () => {
    const at = sthlm('2026-03-17T12:34:56.789');
    const result = nextSendingMoment(at);
    expect(result.getTime()).toBe(at.getTime());
    expect(result).not.toBe(at);
  });

  describe('across daylight saving time', () => {
    // 2026: summer time starts Sunday 29 March, ends Sunday 25 October.
    it('Friday before the spring change → Monday 08:00 summer time (06:00 UTC)', () => {
      const result = nextSendingMoment(new Date('2026-03-27T16:30:00Z'));
      expect(result.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    });

    it('the missing hour on the Sunday → Monday 08:00 summer time', () => {
      const result = nextSendingMoment(new Date('2026-03-29T01:30:00Z'));
      expect(result.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    });

    it('Friday before the autumn change → Monday 08:00 winter time (07:00 UTC)', () => {
      const result = nextSendingMoment(new Date('2026-10-23T15:00:00Z'));
      expect(result.toISOString()).toBe('2026-10-26T07:00:00.000Z');
    });

    it('the repeated hour on the Sunday → Monday 08:00 winter time', () => {
      const result = nextSendingMoment(new Date('2026-10-25T00:30:00Z'));
      expect(result.toISOString()).toBe('2026-10-26T07:00:00.000Z');
    });

    it('keeps 08:00 local on the Monday after, both sides of the change', () => {
      expect(nextSendingMoment(new Date('2026-03-30T05:59:00Z')).toISOString()).toBe(
        '2026-03-30T06:00:00.000Z',
      );
      expect(nextSendingMoment(new Date('2026-10-26T06:59:00Z')).toISOString()).toBe(
        '2026-10-26T07:00:00.000Z',
      );
    });
  });

  it('honours another window and zone', () => {
    const window: SendingWindow = { startHour: 9, endHour: 12, tz: 'UTC' };
    expect(nextSendingMoment(new Date('2026-03-17T12:00:00Z'), window).toISOString()).toBe(
      '2026-03-18T09:00:00.000Z',
    );
    // 24 Dec is julafton wherever the window is defined: Swedish holidays, local zone.
    expect(nextSendingMoment(new Date('2026-12-24T10:00:00Z'), window).toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    );
  });

  it('allows a window running until midnight', () => {
    const window: SendingWindow = { startHour: 0, endHour: 24, tz: 'Europe/Stockholm' };
    const late = sthlm('2026-03-17T23:59:59.999');
    expect(nextSendingMoment(late, window)).toEqual(late);
    expect(inSthlm(nextSendingMoment(sthlm('2026-03-21T10:00'), window))).toBe(
      '2026-03-23T00:00 Mon',
    );
  });

  it.each([
    { startHour: 17, endHour: 8, tz: 'UTC' },
    { startHour: 8, endHour: 8, tz: 'UTC' },
    { startHour: -1, endHour: 8, tz: 'UTC' },
    { startHour: 8, endHour: 25, tz: 'UTC' },
    { startHour: 8.5, endHour: 17, tz: 'UTC' },
    { startHour: Number.NaN, endHour: 17, tz: 'UTC' },
  ])('refuses the window %p', (window) => {
    expect(() => nextSendingMoment(new Date(), window)).toThrow(RangeError);
  });

  it('refuses an unknown zone and an invalid date', () => {
    expect(() =>
      nextSendingMoment(new Date(), { ...DEFAULT_SENDING_WINDOW, tz: 'Nowhere' }),
    ).toThrow('Unknown time zone');
    expect(() => nextSendingMoment(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('addBusinessDays', () => {
  it('skips weekends and holidays, keeping the time of day', () => {
    expect(inSthlm(addBusinessDays(sthlm('2026-03-13T10:15'), 1))).toBe('2026-03-16T10:15 Mon');
    expect(inSthlm(addBusinessDays(sthlm('2026-12-23T10:15'), 1))).toBe('2026-12-28T10:15 Mon');
    expect(inSthlm(addBusinessDays(sthlm('2026-12-23T10:15'), 3))).toBe('2026-12-30T10:15 Wed');
    expect(inSthlm(addBusinessDays(sthlm('2026-03-27T10:15'), 1))).toBe('2026-03-30T10:15 Mon');
  });

  it('counts from a non-business day as from the day before the next one', () => {
    expect(inSthlm(addBusinessDays(sthlm('2026-03-14T10:00'), 1))).toBe('2026-03-16T10:00 Mon');
  });

  it('goes backwards for negative n', () => {
    expect(inSthlm(addBusinessDays(sthlm('2026-12-28T09:00'), -1))).toBe('2026-12-23T09:00 Wed');
  });

  it('returns a copy for n = 0 and refuses fractions', () => {
    const d = sthlm('2026-03-14T10:00');
    expect(addBusinessDays(d, 0)).toEqual(d);
    expect(() => addBusinessDays(d, 1.5)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const instant = fc
    .date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2040-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => new Date(d.getTime()));

  // Zones whose DST changes fall on a weekend, so a window never lands in a skipped hour.
  const windowArb: fc.Arbitrary<SendingWindow> = fc
    .record({
      startHour: fc.integer({ min: 0, max: 23 }),
      length: fc.integer({ min: 1, max: 24 }),
      tz: fc.constantFrom('Europe/Stockholm', 'UTC', 'America/New_York', 'Asia/Kolkata'),
    })
    .map(({ startHour, length, tz }) => ({
      startHour,
      endHour: Math.min(24, startHour + length),
      tz,
    }));

  const windowOrDefault = fc.oneof(fc.constant({ ...DEFAULT_SENDING_WINDOW }), windowArb);

  it('is never before the input, inside the window, on a business day, and idempotent', () => {
    fc.assert(
      fc.property(instant, windowOrDefault, (at, window) => {
        const result = nextSendingMoment(at, window);
        expect(result.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isSwedishBusinessDay(result, window.tz)).toBe(true);
        const local = DateTime.fromJSDate(result, { zone: window.tz });
        expect(local.hour).toBeGreaterThanOrEqual(window.startHour);
        expect(local.hour).toBeLessThan(window.endHour);
        expect(nextSendingMoment(result, window).getTime()).toBe(result.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('skips only non-business time: nothing sendable lies between input and result', () => {
    fc.assert(
      fc.property(instant, (at) => {
        const result = nextSendingMoment(at);
        // Probe every 15 minutes in between: none of those instants may be sendable.
        for (let t = at.getTime(); t < result.getTime(); t += 15 * 60 * 1000) {
          const probe = new Date(t);
          const local = DateTime.fromJSDate(probe, { zone: 'Europe/Stockholm' });
          const sendable = isSwedishBusinessDay(probe) && local.hour >= 8 && local.hour < 17;
          expect(sendable).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('addBusinessDays lands on a business day and composes', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        (d, a, b) => {
          const once = addBusinessDays(d, a + b);
          expect(isSwedishBusinessDay(once)).toBe(true);
          expect(addBusinessDays(addBusinessDays(d, a), b).getTime()).toBe(once.getTime());
          expect(once.getTime()).toBeGreaterThan(d.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });
});
