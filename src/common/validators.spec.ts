import { validate } from 'class-validator';
import fc from 'fast-check';
import {
  IsEnumField,
  IsOrgNumber,
  IsPersonnummer,
  IsStrictEmail,
  enumValues,
  isStrictEmail,
} from './validators';

enum SlotStatus {
  Draft = 'draft',
  Open = 'open',
  Closed = 'closed',
}

enum Priority {
  Low,
  High,
}

const Channel = { Phone: 'phone', Email: 'email' } as const;

class EmployerDto {
  @IsOrgNumber()
  orgNumber: unknown;
}

class ParticipantDto {
  @IsPersonnummer()
  personnummer: unknown;
}

class StrictParticipantDto {
  @IsPersonnummer({ allowCoordinationNumber: false })
  personnummer: unknown;
}

class ContactDto {
  @IsStrictEmail()
  email: unknown;
}

class ContactListDto {
  @IsStrictEmail({ each: true })
  emails: unknown;
}

class SlotQueryDto {
  @IsEnumField(SlotStatus)
  status: unknown;

  @IsEnumField(Priority)
  priority: unknown = Priority.Low;

  @IsEnumField(Channel, { each: true })
  channels: unknown = [];
}

class CustomMessageDto {
  @IsOrgNumber({ message: 'ogiltigt organisationsnummer' })
  orgNumber: unknown;
}

function build<T extends object>(cls: new () => T, values: Record<string, unknown>): T {
  return Object.assign(new cls(), values);
}

async function errorsOf(dto: object): Promise<Record<string, Record<string, string>>> {
  const errors = await validate(dto);
  return Object.fromEntries(errors.map((e) => [e.property, e.constraints ?? {}]));
}

describe('IsOrgNumber', () => {
  it.each(['556016-0680', '5560160680', '165560160680', '19121212+1212', '800101-0019'])(
    'accepts %p',
    async (orgNumber) => {
      expect(await errorsOf(build(EmployerDto, { orgNumber }))).toEqual({});
    },
  );

  it.each([['556016-0681'], [''], [5560160680], [null], [undefined], [{}], [['5560160680']]])(
    'refuses %p with a message naming the rule',
    async (orgNumber) => {
      expect(await errorsOf(build(EmployerDto, { orgNumber }))).toEqual({
        orgNumber: {
          isOrgNumber: 'orgNumber must be a valid Swedish organisation number (NNNNNN-NNNN)',
        },
      });
    },
  );

  it('lets the caller override the message', async () => {
    expect(await errorsOf(build(CustomMessageDto, { orgNumber: 'x' }))).toEqual({
      orgNumber: { isOrgNumber: 'ogiltigt organisationsnummer' },
    });
  });
});

describe('IsPersonnummer', () => {
  it.each(['19900101-0017', '900101-0017', '199001010017', '730288-9931'])(
    'accepts %p',
    async (personnummer) => {
      expect(await errorsOf(build(ParticipantDto, { personnummer }))).toEqual({});
    },
  );

  it.each([['19900101-0018'], ['5560160680'], [199001010017], [null], ['000101-T234']])(
    'refuses %p',
    async (personnummer) => {
      expect(await errorsOf(build(ParticipantDto, { personnummer }))).toEqual({
        personnummer: {
          isPersonnummer:
            'personnummer must be a valid Swedish personal identity or coordination number (YYYYMMDD-NNNN)',
        },
      });
    },
  );

  it('can refuse samordningsnummer', async () => {
    expect(await errorsOf(build(StrictParticipantDto, { personnummer: '730288-9931' }))).toEqual({
      personnummer: {
        isPersonnummer:
          'personnummer must be a valid Swedish personal identity number (YYYYMMDD-NNNN)',
      },
    });
    expect(await errorsOf(build(StrictParticipantDto, { personnummer: '19900101-0017' }))).toEqual(
      {},
    );
  });
});

describe('isStrictEmail', () => {
  it.each([
    'anna.svensson@example.se',
    'Anna.Svensson@Example.SE',
    'first+tag@sub.example.co.uk',
    "o'brien@example.com",
    'a_b-c@example-domain.se',
    'x@ab.io',
    'info@räksmörgås.se',
    'info@xn--rksmrgs-5wao1o.se',
    'info@example.xn--p1ai',
    `${'a'.repeat(64)}@example.se`,
    `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}`,
  ])('accepts %p', (email) => {
    expect(isStrictEmail(email)).toBe(true);
  });

  it.each([
    ['quoted local part', '"anna svensson"@example.se'],
    ['quoted local part without space', '"anna"@example.se'],
    ['comment', 'anna(comment)@example.se'],
    ['comment in domain', 'anna@(comment)example.se'],
    ['display name', 'Anna <anna@example.se>'],
    ['angle brackets', '<anna@example.se>'],
    ['two addresses with comma', 'a@example.se,b@example.se'],
    ['two addresses with semicolon', 'a@example.se;b@example.se'],
    ['two @', 'a@b@example.se'],
    ['space', 'anna @example.se'],
    ['leading space', ' anna@example.se'],
    ['trailing space', 'anna@example.se '],
    ['CR/LF header injection', 'anna@example.se\r\nBcc: eve@example.com'],
    ['LF', 'anna@example.se\n'],
    ['tab', 'anna\t@example.se'],
    ['NUL', 'anna\u0000@example.se'],
    ['IPv4 literal', 'anna@[192.168.0.1]'],
    ['IPv6 literal', 'anna@[IPv6:::1]'],
    ['bare IPv4', 'anna@192.168.0.1'],
    ['no dot in domain', 'anna@localhost'],
    ['no domain', 'anna@'],
    ['no local part', '@example.se'],
    ['no @', 'anna.example.se'],
    ['leading dot', '.anna@example.se'],
    ['trailing dot', 'anna.@example.se'],
    ['double dot', 'an..na@example.se'],
    ['trailing dot in domain', 'anna@example.se.'],
    ['empty label', 'anna@example..se'],
    ['hyphen at label start', 'anna@-example.se'],
    ['hyphen at label end', 'anna@example-.se'],
    ['underscore in domain', 'anna@exa_mple.se'],
    ['one-letter TLD', 'anna@example.s'],
    ['non-ASCII local part', 'åsa@example.se'],
    ['percent routing', 'anna%example.se@relay.se'],
    ['bang path', 'relay!anna@example.se'],
    ['backslash', 'an\\na@example.se'],
    ['colon', 'mailto:anna@example.se'],
    ['full-width domain', 'anna@ｅｘａｍｐｌｅ.com'],
    ['Cyrillic look-alike domain', 'anna@exаmple.com'],
    ['decomposed å', 'info@ra\u030Aksmorgas.se'],
    ['invalid punycode', 'anna@xn--.se'],
    ['local part over 64', `${'a'.repeat(65)}@example.se`],
    [
      'over 254 characters',
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.se`,
    ],
    ['label over 63', `a@${'b'.repeat(64)}.se`],
    ['empty', ''],
  ])('refuses %s', (_why, email) => {
    expect(isStrictEmail(email)).toBe(false);
  });

  it.each([null, undefined, 42, {}, ['a@example.se']])('refuses non-string %p', (value) => {
    expect(isStrictEmail(value)).toBe(false);
  });

  it('counts the punycoded domain towards the length limit', () => {
    // Each 25-letter label becomes 31 ASCII characters: 223 as typed, 259 on the wire.
    const domain = `${Array.from({ length: 6 }, () => 'ö'.repeat(25)).join('.')}.se`;
    const unicode = `${'a'.repeat(64)}@${domain}`;
    expect(unicode.length).toBe(223);
    expect(isStrictEmail(unicode)).toBe(false);
    expect(isStrictEmail(`${'a'.repeat(30)}@${domain}`)).toBe(true);
  });

  const atom = fc.stringMatching(/^[a-z0-9_+-]{1,20}$/);
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const plainAddress = fc
    .tuple(
      fc.array(atom, { minLength: 1, maxLength: 3 }),
      fc.array(label, { minLength: 1, maxLength: 3 }),
      fc.stringMatching(/^[a-z]{2,6}$/),
    )
    .map(([locals, labels, tld]) => `${locals.join('.')}@${[...labels, tld].join('.')}`);

  it('accepts every plain address', () => {
    fc.assert(fc.property(plainAddress, (email) => isStrictEmail(email)));
  });

  it('refuses a plain address once anything risky is inserted anywhere', () => {
    const risky = fc.constantFrom(
      ' ',
      '\r',
      '\n',
      '\t',
      '"',
      '(',
      ')',
      '<',
      '>',
      ',',
      ';',
      ':',
      '[',
      ']',
      '\\',
      '@',
      '\u0000',
      '\u2028',
    );
    fc.assert(
      fc.property(plainAddress, risky, fc.nat(), (email, bad, at) => {
        const pos = at % (email.length + 1);
        return !isStrictEmail(`${email.slice(0, pos)}${bad}${email.slice(pos)}`);
      }),
    );
  });

  it('agrees with fast-check addresses except the forms it refuses on purpose', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const [local, domain] = email.split('@');
        const tld = domain.split('.').pop()!;
        const refusedOnPurpose =
          /[%!]/.test(local) || !/^[a-z]{2,}$/i.test(tld) || email.length > 254;
        return isStrictEmail(email) === !refusedOnPurpose;
      }),
    );
  });
});

describe('IsStrictEmail', () => {
  it('accepts a plain address', async () => {
    expect(await errorsOf(build(ContactDto, { email: 'anna@example.se' }))).toEqual({});
  });

  it('refuses a display-name form with a message naming the rule', async () => {
    expect(await errorsOf(build(ContactDto, { email: 'Anna <anna@example.se>' }))).toEqual({
      email: { isStrictEmail: 'email must be a single plain email address (name@example.se)' },
    });
  });

  it('checks each element with { each: true }', async () => {
    expect(
      await errorsOf(build(ContactListDto, { emails: ['a@example.se', 'b@example.se'] })),
    ).toEqual({});
    expect(
      await errorsOf(build(ContactListDto, { emails: ['a@example.se', 'b@localhost'] })),
    ).toEqual({
      emails: {
        isStrictEmail:
          'each value in emails must be a single plain email address (name@example.se)',
      },
    });
  });
});

describe('enumValues', () => {
  it('drops the reverse mappings of numeric enums', () => {
    expect(enumValues(Priority)).toEqual([0, 1]);
  });

  it('reads string enums, const objects and lists', () => {
    expect(enumValues(SlotStatus)).toEqual(['draft', 'open', 'closed']);
    expect(enumValues(Channel)).toEqual(['phone', 'email']);
    expect(enumValues(['a', 'b'] as const)).toEqual(['a', 'b']);
  });
});

describe('IsEnumField', () => {
  it('accepts allowed values', async () => {
    const dto = build(SlotQueryDto, {
      status: 'open',
      priority: Priority.High,
      channels: ['phone', 'email'],
    });
    expect(await errorsOf(dto)).toEqual({});
  });

  it('lists the allowed values when refusing', async () => {
    const dto = build(SlotQueryDto, { status: 'Open', priority: 'High', channels: ['fax'] });
    expect(await errorsOf(dto)).toEqual({
      status: { isEnumField: 'status must be one of: draft, open, closed' },
      priority: { isEnumField: 'priority must be one of: 0, 1' },
      channels: { isEnumField: 'each value in channels must be one of: phone, email' },
    });
  });

  it.each([[null], [undefined], [{}], [['open']], ['constructor'], ['toString']])(
    'refuses %p',
    async (status) => {
      expect(Object.keys(await errorsOf(build(SlotQueryDto, { status })))).toEqual(['status']);
    },
  );
});
