import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  PERSONAL_NUMBER_MASK,
  formatOrgNumber,
  maskOrgNumber,
  maskPersonalNumbersInText,
  normalizeOrgNumber,
  normalizePersonnummer,
} from './identity-numbers';

const TESTDATA = path.resolve(__dirname, '../../../shared/data/testdata');

function readVectors<T>(file: string): T[] {
  return JSON.parse(readFileSync(path.join(TESTDATA, file), 'utf8')) as T[];
}

interface PersonnummerVector {
  integer: number;
  long_format: string;
  short_format: string;
  separated_format: string;
  separated_long: string;
  valid: boolean;
  type: 'ssn' | 'con';
  isMale: boolean;
  isFemale: boolean;
}

interface OrgNumberVector {
  input: string;
  long_format: string;
  short_format: string;
  valid: boolean;
  type: string;
  vat_number: string;
}

interface PersonnummerOrgVector {
  integer: number;
  short_format: string;
  separated_format: string;
  valid: boolean;
  type: 'org';
  comment: string;
}

const personnummerVectors = readVectors<PersonnummerVector>('personnummer-list.json');
const orgVectors = readVectors<OrgNumberVector>('organisationsnummer-list.json');
const personnummerOrgVectors = readVectors<PersonnummerOrgVector>('personnummer-orgnumber.json');

// Luhn check digit over the digits given (the 9 digits before the check digit).
function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let v = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) {
      v -= 9;
    }
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

describe('test vectors', () => {
  it('loads every vector file', () => {
    expect(personnummerVectors.length).toBeGreaterThan(10);
    expect(orgVectors.length).toBeGreaterThan(20);
    expect(personnummerOrgVectors.length).toBeGreaterThan(5);
  });

  describe.each(personnummerVectors.map((v) => [v.separated_long, v] as const))(
    'personnummer %s',
    (_label, vector) => {
      const formats = {
        integer: String(vector.integer),
        long_format: vector.long_format,
        short_format: vector.short_format,
        separated_format: vector.separated_format,
        separated_long: vector.separated_long,
      };

      it.each(Object.entries(formats))(
        `is ${vector.valid ? 'valid' : 'invalid'} as %s`,
        (_f, s) => {
          expect(normalizePersonnummer(s) !== null).toBe(vector.valid);
        },
      );

      if (vector.valid) {
        // A plain 10-digit number carries no century; for people over 100 it is read as a child.
        const centuryCarrying = Object.entries(formats).filter(
          ([f]) => f !== 'short_format' || !vector.separated_format.includes('+'),
        );
        it.each(centuryCarrying)('normalises %s to the long form with its facts', (_f, s) => {
          const result = normalizePersonnummer(s);
          expect(result).not.toBeNull();
          expect(result!.long).toBe(vector.long_format);
          expect(result!.sex).toBe(vector.isMale ? 'male' : 'female');
          expect(result!.isCoordinationNumber).toBe(vector.type === 'con');
          const lf = vector.long_format;
          const day = Number(lf.slice(6, 8)) - (vector.type === 'con' ? 60 : 0);
          expect(result!.birthDate).toBe(
            `${lf.slice(0, 4)}-${lf.slice(4, 6)}-${String(day).padStart(2, '0')}`,
          );
        });

        it('is accepted as a sole trader organisation number in every format', () => {
          for (const s of Object.values(formats)) {
            expect(normalizeOrgNumber(s)).toEqual({
              value: vector.short_format,
              isPersonnummer: true,
              type: 'Enskild firma',
            });
          }
        });
      } else {
        it('is refused as an organisation number in every format', () => {
          for (const s of Object.values(formats)) {
            expect(normalizeOrgNumber(s)).toBeNull();
          }
        });
      }
    },
  );

  describe.each(orgVectors.map((v, i) => [`${i}: ${v.input}`, v] as const))(
    'organisationsnummer %s',
    (_label, vector) => {
      it(`is ${vector.valid ? 'valid' : 'invalid'} as input and as long format`, () => {
        expect(normalizeOrgNumber(vector.input) !== null).toBe(vector.valid);
        expect(normalizeOrgNumber(vector.long_format) !== null).toBe(vector.valid);
        expect(normalizeOrgNumber(vector.short_format) !== null).toBe(vector.valid);
      });

      if (vector.valid) {
        it('normalises to the 10-digit short format with type and formatting', () => {
          const isPersonnummer = vector.type === 'Enskild firma';
          for (const s of [vector.input, vector.long_format, vector.short_format]) {
            expect(normalizeOrgNumber(s)).toEqual({
              value: vector.short_format,
              isPersonnummer,
              type: vector.type,
            });
          }
          // We always format with `-`: the stored 10 digits cannot tell a centenarian's `+`.
          expect(formatOrgNumber(vector.short_format)).toBe(vector.long_format.replace('+', '-'));
          expect(`SE${vector.short_format}01`).toBe(vector.vat_number);
        });
      }
    },
  );

  describe.each(personnummerOrgVectors.map((v) => [v.separated_format, v] as const))(
    'organisation number that is not a personnummer %s',
    (_label, vector) => {
      const formats = [String(vector.integer), vector.short_format, vector.separated_format];

      it.each(formats)('is refused as a personnummer: %s', (s) => {
        expect(normalizePersonnummer(s) !== null).toBe(vector.valid);
      });

      it.each(formats)('is accepted as a company organisation number: %s', (s) => {
        expect(normalizeOrgNumber(s)).toEqual({
          value: vector.short_format,
          isPersonnummer: false,
          type: expect.any(String),
        });
      });
    },
  );
});

describe('normalizeOrgNumber', () => {
  it.each(['556016-0680', '5560160680', '165560160680', '16556016-0680', ' 556016-0680 '])(
    'accepts %p',
    (input) => {
      expect(normalizeOrgNumber(input)).toEqual({
        value: '5560160680',
        isPersonnummer: false,
        type: 'Aktiebolag',
      });
    },
  );

  it('accepts an en dash or minus sign pasted from a word processor', () => {
    expect(normalizeOrgNumber('556016\u20130680')?.value).toBe('5560160680');
    expect(normalizeOrgNumber('556016\u22120680')?.value).toBe('5560160680');
  });

  it.each([
    '',
    '556016-0681',
    '556016+0680',
    '556016 0680',
    '55601606',
    '55601606800',
    '175560160680',
    '5560160680x',
    'abcdefghij',
    '0060160680',
  ])('refuses %p', (input) => {
    expect(normalizeOrgNumber(input)).toBeNull();
  });

  it('refuses non-strings at run time', () => {
    expect(normalizeOrgNumber(5560160680 as unknown as string)).toBeNull();
    expect(normalizeOrgNumber(null as unknown as string)).toBeNull();
  });

  it('keeps a sole trader personnummer as its 10-digit form', () => {
    expect(normalizeOrgNumber('19800101-0016')).toBeNull(); // bad check digit
    const pnr = '198001010019';
    expect(normalizePersonnummer(pnr)).not.toBeNull();
    expect(normalizeOrgNumber(pnr)).toEqual({
      value: '8001010019',
      isPersonnummer: true,
      type: 'Enskild firma',
    });
    expect(normalizeOrgNumber('800101-0019')?.value).toBe('8001010019');
  });
});

describe('normalizePersonnummer', () => {
  it('parses a samordningsnummer with the real birth date', () => {
    expect(normalizePersonnummer('730288-9931')).toEqual({
      long: '197302889931',
      birthDate: '1973-02-28',
      isCoordinationNumber: true,
      sex: 'male',
    });
  });

  it('reads a plus sign as 100 years or older', () => {
    expect(normalizePersonnummer('121212+1212')?.long).toBe('191212121212');
    expect(normalizePersonnummer('121212-1212')?.long).toBe('201212121212');
  });

  it('refuses interim numbers, a future birth date and implausible centuries', () => {
    expect(normalizePersonnummer('000101-T234')).toBeNull();
    // 2099-01-01: valid checksum, but not born yet.
    const future = '990101001';
    expect(normalizePersonnummer(`20${future}${luhnCheckDigit(future)}`)).toBeNull();
    const old = '800101001';
    expect(normalizePersonnummer(`16${old}${luhnCheckDigit(old)}`)).toBeNull();
    expect(normalizePersonnummer(`19${old}${luhnCheckDigit(old)}`)).not.toBeNull();
  });

  it.each(['', '19090527 1474', '190905271475', '1909052714744', '19090527--1474', 'x'])(
    'refuses %p',
    (input) => {
      expect(normalizePersonnummer(input)).toBeNull();
    },
  );
});

describe('formatOrgNumber and maskOrgNumber', () => {
  it('formats company numbers in full', () => {
    expect(formatOrgNumber('5560160680')).toBe('556016-0680');
    expect(maskOrgNumber('5560160680', false)).toBe('556016-0680');
  });

  it('hides the last four digits of a sole trader personnummer', () => {
    expect(maskOrgNumber('8001010019', true)).toBe('800101-XXXX');
  });

  it('reveals nothing of a malformed personnummer and never throws', () => {
    expect(maskOrgNumber('80010100', true)).toBe('XXXXXX-XXXX');
    expect(formatOrgNumber('123')).toBe('123');
  });
});

describe('maskPersonalNumbersInText', () => {
  it.each([
    ['pnr 19900101-1234 registered', 'pnr [personnummer] registered'],
    ['pnr 900101-1234.', 'pnr [personnummer].'],
    ['pnr 900101+1234.', 'pnr [personnummer].'],
    ['199001011234', '[personnummer]'],
    ['9001011234', '[personnummer]'],
    ['900101 1234', '[personnummer]'],
    ['19900101\u20131234', '[personnummer]'],
    ['/api?pnr=19900101%2D1234&x=1', '/api?pnr=[personnummer]&x=1'],
    ['/api?pnr=900101%2b1234', '/api?pnr=[personnummer]'],
    ['{"pnr":"199001011234","b":9001011234}', '{"pnr":"[personnummer]","b":[personnummer]}'],
    ['a 9001011234 b 8001010016', 'a [personnummer] b [personnummer]'],
    ['org 556016-0680', 'org [personnummer]'],
    ['abc199001011234def', 'abc[personnummer]def'],
  ])('masks %p', (input, expected) => {
    expect(maskPersonalNumbersInText(input)).toBe(expected);
  });

  it.each([
    'order 12345',
    'id 123456789 or 12345678901 or 1234567890123',
    'uuid 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
    'at 2026-03-29T01:00:00.000Z',
    'tel 070-123 45 67',
    '',
  ])('leaves %p alone', (input) => {
    expect(maskPersonalNumbersInText(input)).toBe(input);
  });

  it('is fast on a large log line', () => {
    const line = `${'x 9001011234 y 12345 '.repeat(20_000)}`;
    const masked = maskPersonalNumbersInText(line);
    expect(masked).not.toContain('9001011234');
    expect(masked.split(PERSONAL_NUMBER_MASK)).toHaveLength(20_001);
  });
});

describe('properties', () => {
  const currentYear = new Date().getFullYear();

  // A company number: two digits ≥ 10, then a "month" ≥ 20 (never a date), Luhn check.
  const orgNumberArb = fc
    .tuple(
      fc.integer({ min: 10, max: 99 }),
      fc.integer({ min: 20, max: 99 }),
      fc.integer({ min: 0, max: 99_999 }),
    )
    .map(([a, b, rest]) => {
      const nine = `${a}${b}${String(rest).padStart(5, '0')}`;
      return `${nine}${luhnCheckDigit(nine)}`;
    });

  const personArb = fc
    .record({
      date: fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2020-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      serial: fc.integer({ min: 1, max: 999 }),
      coordination: fc.boolean(),
    })
    .map(({ date, serial, coordination }) => {
      const iso = date.toISOString().slice(0, 10);
      const yyyy = iso.slice(0, 4);
      const mm = iso.slice(5, 7);
      const dd = String(Number(iso.slice(8, 10)) + (coordination ? 60 : 0)).padStart(2, '0');
      const nine = `${yyyy.slice(2)}${mm}${dd}${String(serial).padStart(3, '0')}`;
      const short = `${nine}${luhnCheckDigit(nine)}`;
      const sep = currentYear - Number(yyyy) >= 100 ? '+' : '-';
      return { iso, long: `${yyyy.slice(0, 2)}${short}`, short, sep, coordination };
    });

  it('a valid organisation number validates in all formats and normalises the same', () => {
    fc.assert(
      fc.property(orgNumberArb, (n) => {
        const formats = [n, `${n.slice(0, 6)}-${n.slice(6)}`, `16${n}`, `16${formatOrgNumber(n)}`];
        for (const f of formats) {
          const result = normalizeOrgNumber(f);
          expect(result?.value).toBe(n);
          expect(result?.isPersonnummer).toBe(false);
          expect(normalizePersonnummer(f)).toBeNull();
        }
      }),
    );
  });

  it('a valid personnummer normalises the same in all formats, also as an org number', () => {
    fc.assert(
      fc.property(personArb, (p) => {
        const formats = [
          p.long,
          `${p.long.slice(0, 8)}-${p.long.slice(8)}`,
          `${p.short.slice(0, 6)}${p.sep}${p.short.slice(6)}`,
        ];
        for (const f of formats) {
          const person = normalizePersonnummer(f);
          expect(person?.long).toBe(p.long);
          expect(person?.birthDate).toBe(p.iso);
          expect(person?.isCoordinationNumber).toBe(p.coordination);
          expect(normalizeOrgNumber(f)).toEqual({
            value: p.short,
            isPersonnummer: true,
            type: 'Enskild firma',
          });
        }
      }),
    );
  });

  it('changing one digit of a valid number makes it invalid (Luhn)', () => {
    fc.assert(
      fc.property(
        orgNumberArb,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (n, pos, delta) => {
          const digit = (Number(n[pos]) + delta) % 10;
          const changed = `${n.slice(0, pos)}${digit}${n.slice(pos + 1)}`;
          expect(normalizeOrgNumber(changed)).toBeNull();
          expect(normalizePersonnummer(changed)).toBeNull();
        },
      ),
    );
  });

  it('maskOrgNumber never leaks the last four digits of a personnummer', () => {
    fc.assert(
      fc.property(personArb, (p) => {
        const masked = maskOrgNumber(p.short, true);
        expect(masked).not.toContain(p.short.slice(6));
        expect(masked).toBe(`${p.short.slice(0, 6)}-XXXX`);
      }),
    );
  });

  const digitFreeText = fc.string({ maxLength: 30 }).map((s) => s.replace(/\d/g, ''));

  it('maskPersonalNumbersInText never leaks the last four digits in any written form', () => {
    fc.assert(
      fc.property(
        personArb,
        fc.constantFrom('', '-', '+', ' ', '%2D', '%2B', '%2d', '\u2013'),
        fc.boolean(),
        digitFreeText,
        digitFreeText,
        (p, sep, long, before, after) => {
          const digits = long ? p.long : p.short;
          const written = `${digits.slice(0, -4)}${sep}${digits.slice(-4)}`;
          const masked = maskPersonalNumbersInText(`${before}${written}${after}`);
          expect(masked).not.toContain(digits.slice(-4));
          expect(masked).toBe(`${before}${PERSONAL_NUMBER_MASK}${after}`);
        },
      ),
    );
  });

  it('maskPersonalNumbersInText leaves text without digits untouched', () => {
    fc.assert(
      fc.property(digitFreeText, (text) => {
        expect(maskPersonalNumbersInText(text)).toBe(text);
      }),
    );
  });
});
