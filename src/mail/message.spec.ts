import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  cleanDisplayName,
  cleanSubject,
  messageIdFor,
  messageIdHost,
  OutgoingMail,
  parseMailFrom,
  toNodemailerOptions,
  UnsafeMailError,
} from './message';

const ID = '0190a8e2-1c3b-7d4e-8f00-123456789abc';

async function roundTrip(mail: OutgoingMail) {
  const raw = await new MailComposer(toNodemailerOptions(mail, 'praktiknav.se')).compile().build();
  return { raw: raw.toString('utf8'), parsed: await simpleParser(raw) };
}

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    outboxId: ID,
    from: { address: 'no-reply@praktiknav.se', name: 'Praktiknav' },
    to: { address: 'maria.holm@eslov.se', name: 'Maria Holm' },
    subject: 'Hej',
    text: 'Text',
    html: '<p>Text</p>',
    ...overrides,
  };
}

// Names and subjects as people (and attackers) type them: quotes, angle brackets, commas,
// CR/LF followed by header-like text, encoded-word look-alikes, any Unicode.
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .array(
      fc.constantFrom(
        '"',
        "'",
        '<',
        '>',
        ',',
        ';',
        ':',
        '@',
        '\\',
        '\r\n',
        '\n',
        '\r',
        '\r\nBcc: evil@attacker.example',
        '\nSubject: injected',
        '=?utf-8?B?QWxpY2U=?=',
        '=?',
        '?=',
        'Åsa Ärlig-Öberg',
        'Ünïcödé',
        '李小龙',
        '😀',
        'Ola Nordmann',
        ' ',
        '\t',
        '\u2028',
        '\u0000',
        '\u202e',
        'x@y.se',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

describe('mail headers', () => {
  it('parse back to exactly one recipient and the intended subject, whatever the input', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (name, subject) => {
        const { parsed } = await roundTrip(
          mail({ to: { address: 'maria.holm@eslov.se', name }, subject }),
        );
        const to = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [];
        const recipients = to.flatMap((a) => a.value);
        expect(recipients).toHaveLength(1);
        expect(recipients[0].address).toBe('maria.holm@eslov.se');
        expect(recipients[0].name).toBe(cleanDisplayName(name) ?? '');
        expect(parsed.subject ?? '').toBe(cleanSubject(subject));
        expect(parsed.cc).toBeUndefined();
        expect(parsed.bcc).toBeUndefined();
        expect(parsed.headers.get('bcc')).toBeUndefined();
        expect(parsed.messageId).toBe(messageIdFor(ID, 'praktiknav.se'));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps an injected line break out of the header block', async () => {
    const { raw } = await roundTrip(
      mail({
        subject: 'Hej\r\nBcc: evil@attacker.example',
        to: { address: 'a@b.se', name: 'X\r\nBcc: evil@attacker.example' },
      }),
    );
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head.split('\r\n').filter((l) => /^bcc:/i.test(l))).toEqual([]);
  });

  it('refuses a recipient that is not one plain address', () => {
    for (const address of [
      'a@b.se, c@d.se',
      '"quoted"@b.se',
      'Name <a@b.se>',
      'a@b.se\r\nBcc: x@y.se',
      'a(comment)@b.se',
      '',
    ]) {
      expect(() => toNodemailerOptions(mail({ to: { address, name: null } }), 'h.se')).toThrow(
        UnsafeMailError,
      );
    }
  });

  it('adds List-Unsubscribe and Auto-Submitted only from our own values', async () => {
    const { parsed } = await roundTrip(
      mail({ listUnsubscribeUrl: 'https://praktiknav.se/u/abc', autoSubmitted: true }),
    );
    expect(parsed.headers.get('list')).toMatchObject({
      unsubscribe: { url: 'https://praktiknav.se/u/abc' },
    });
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(() =>
      toNodemailerOptions(mail({ listUnsubscribeUrl: 'javascript:alert(1)' }), 'h.se'),
    ).toThrow(UnsafeMailError);
  });

  it('reads MAIL_FROM and derives the Message-ID host from it', () => {
    expect(parseMailFrom('Eslövs kommun <praktik@eslov.se>')).toEqual({
      address: 'praktik@eslov.se',
      name: 'Eslövs kommun',
    });
    expect(parseMailFrom('"Praktiknav" <no-reply@x.se>').name).toBe('Praktiknav');
    expect(parseMailFrom('no-reply@x.se')).toEqual({ address: 'no-reply@x.se', name: null });
    expect(messageIdHost('no-reply@Praktiknav.SE')).toBe('praktiknav.se');
    expect(messageIdHost('nonsense')).toBe('praktiknav.localhost');
  });
});
