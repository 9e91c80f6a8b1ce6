import fc from 'fast-check';
import {
  CONTACT_CHANNELS,
  CONTACT_CLAIM_STATUSES,
  CONTACT_POLICY_DEFAULT_MIN_DAYS,
  CONTACT_PURPOSES,
  ContactDecision,
  ContactPolicyClaim,
  ContactPolicyContact,
  ContactPolicyEmployer,
  ContactPolicyInput,
  ContactRefusal,
  EMPLOYER_STATUSES,
  addContactDays,
  decideContact,
  describeDecision,
  formatContactDate,
  isClaimInForce,
  resolveMinDaysBetweenContacts,
} from './contact-policy';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-21T09:00:00.000Z');
const daysBefore = (days: number, from = NOW) => new Date(from.getTime() - days * DAY);
const daysAfter = (days: number, from = NOW) => new Date(from.getTime() + days * DAY);

const EMPLOYER: ContactPolicyEmployer = {
  status: 'active',
  doNotContactReason: null,
  doNotContactUntil: null,
  minDaysBetweenContacts: null,
  ownerUserId: 'u-owner',
  ownerOrganisationId: 'org-af',
};

function contact(overrides: Partial<ContactPolicyContact> = {}): ContactPolicyContact {
  return {
    occurredAt: new Date('2026-11-18T13:00:00.000Z'),
    organisationId: 'org-af',
    organisationName: 'Arbetsförmedlingen Eslöv',
    userId: 'u-anna',
    userName: null,
    purpose: 'internship',
    channel: 'phone',
    ...overrides,
  };
}

function claim(overrides: Partial<ContactPolicyClaim> = {}): ContactPolicyClaim {
  return {
    id: 'claim-1',
    organisationId: 'org-lysekil',
    organisationName: 'Arbetsmarknadsenheten Lysekil',
    userId: 'u-lars',
    userName: 'Lars Berg',
    purpose: 'recruitment',
    createdAt: daysBefore(1),
    validUntil: daysAfter(3),
    status: 'active',
    ...overrides,
  };
}

function decide(overrides: Partial<ContactPolicyInput> = {}): ContactDecision {
  return decideContact({
    employer: EMPLOYER,
    contacts: [],
    claims: [],
    asker: { organisationId: 'org-yalla', userId: 'u-yasmin' },
    purpose: 'internship',
    now: NOW,
    ...overrides,
  });
}

function refused(decision: ContactDecision): ContactRefusal {
  if (decision.decision !== 'refused') {
    throw new Error(`expected a refusal, got ${JSON.stringify(decision)}`);
  }
  return decision;
}

describe('decideContact', () => {
  it('allows when nobody contacted or claimed the employer', () => {
    expect(decide()).toEqual({ decision: 'allowed' });
  });

  it('exports the default cool-off of 14 days', () => {
    expect(CONTACT_POLICY_DEFAULT_MIN_DAYS).toBe(14);
    expect(resolveMinDaysBetweenContacts({ minDaysBetweenContacts: null })).toBe(14);
  });

  describe('do-not-contact', () => {
    const dnc: ContactPolicyEmployer = {
      ...EMPLOYER,
      status: 'do_not_contact',
      doNotContactReason: 'Asked us to stop calling',
    };

    it('refuses with no next date when it has no end date', () => {
      const decision = refused(decide({ employer: dnc }));
      expect(decision.reason).toBe('DO_NOT_CONTACT');
      expect(decision.nextAllowedAt).toBeNull();
      expect(decision.holder).toBeUndefined();
      expect(decision.doNotContactReason).toBe('Asked us to stop calling');
      expect(decision.message).toBe(
        'Employer is marked do-not-contact (reason: Asked us to stop calling) with no end date; ' +
          'no contact is allowed.',
      );
    });

    it('refuses the owner, placement follow-ups and transactional emails too', () => {
      const askers: Partial<ContactPolicyInput>[] = [
        { asker: { organisationId: 'org-af', userId: 'u-owner' } },
        { purpose: 'follow_up', flags: { isActivePlacementFollowUp: true } },
        { asker: { organisationId: 'org-af', userId: null }, flags: { category: 'transactional' } },
      ];
      for (const overrides of askers) {
        expect(refused(decide({ employer: dnc, ...overrides })).reason).toBe('DO_NOT_CONTACT');
      }
    });

    it('lifts by itself at doNotContactUntil', () => {
      const until = daysAfter(10);
      const employer = { ...dnc, doNotContactUntil: until };
      const decision = refused(decide({ employer }));
      expect(decision.reason).toBe('DO_NOT_CONTACT');
      expect(decision.nextAllowedAt).toEqual(until);
      expect(decide({ employer, now: until })).toEqual({ decision: 'allowed' });
      expect(decide({ employer, now: daysAfter(1, until) })).toEqual({ decision: 'allowed' });
    });

    it('is ignored once doNotContactUntil has passed, leaving the other rules', () => {
      const employer = { ...dnc, doNotContactUntil: daysBefore(1) };
      expect(decide({ employer })).toEqual({ decision: 'allowed' });
      expect(refused(decide({ employer, contacts: [contact()] })).reason).toBe('COOL_OFF');
    });

    it('gives the cool-off end as next date when that comes after the end of do-not-contact', () => {
      const employer = { ...dnc, doNotContactUntil: daysAfter(2) };
      const decision = refused(decide({ employer, contacts: [contact()] }));
      expect(decision.reason).toBe('DO_NOT_CONTACT');
      expect(decision.nextAllowedAt).toEqual(new Date('2026-12-02T13:00:00.000Z'));
      expect(decision.message).toContain('until 2026-11-23T09:00:00.000Z');
    });

    it('is derived from the status alone: a paused employer or a stray reason does not block', () => {
      expect(decide({ employer: { ...EMPLOYER, status: 'paused' } })).toEqual({
        decision: 'allowed',
      });
      expect(decide({ employer: { ...EMPLOYER, doNotContactReason: 'old note' } })).toEqual({
        decision: 'allowed',
      });
    });
  });

  describe('claims', () => {
    it('refuses when another organisation holds an active claim, naming the holder', () => {
      const decision = refused(decide({ claims: [claim()] }));
      expect(decision.reason).toBe('CLAIMED_BY_OTHER');
      expect(decision.holder).toEqual({
        organisationId: 'org-lysekil',
        organisationName: 'Arbetsmarknadsenheten Lysekil',
        userId: 'u-lars',
        userName: 'Lars Berg',
        since: daysBefore(1),
        purpose: 'recruitment',
      });
      expect(decision.nextAllowedAt).toEqual(daysAfter(3));
      expect(decision.message).toBe(
        'Employer is claimed by Arbetsmarknadsenheten Lysekil (Lars Berg) for recruitment since ' +
          '2026-11-20T09:00:00.000Z, valid until 2026-11-24T09:00:00.000Z; ' +
          'next contact allowed at 2026-11-24T09:00:00.000Z.',
      );
    });

    it("does not block the claim holder's own organisation", () => {
      expect(
        decide({
          claims: [claim()],
          asker: { organisationId: 'org-lysekil', userId: 'u-other-colleague' },
        }),
      ).toEqual({ decision: 'allowed' });
    });

    it('ignores expired claims at read time, including one ending exactly now', () => {
      expect(decide({ claims: [claim({ validUntil: NOW })] })).toEqual({ decision: 'allowed' });
      expect(decide({ claims: [claim({ validUntil: daysBefore(1) })] })).toEqual({
        decision: 'allowed',
      });
      expect(isClaimInForce(claim({ validUntil: NOW }), NOW)).toBe(false);
    });

    it('ignores claims that are used, released or expired', () => {
      for (const status of ['used', 'released', 'expired'] as const) {
        expect(decide({ claims: [claim({ status })] })).toEqual({ decision: 'allowed' });
      }
    });

    it('gives the later of claim end and cool-off end as the next date', () => {
      const decision = refused(decide({ claims: [claim()], contacts: [contact()] }));
      expect(decision.reason).toBe('CLAIMED_BY_OTHER');
      expect(decision.nextAllowedAt).toEqual(new Date('2026-12-02T13:00:00.000Z'));
      const later = claim({ validUntil: daysAfter(30) });
      expect(refused(decide({ claims: [later], contacts: [contact()] })).nextAllowedAt).toEqual(
        daysAfter(30),
      );
    });

    it('names the earliest claim when several are in force and waits for the last to end', () => {
      const first = claim({ id: 'c-1', createdAt: daysBefore(2), validUntil: daysAfter(1) });
      const second = claim({
        id: 'c-2',
        organisationId: 'org-iof',
        organisationName: 'Individ- och familjeomsorgen',
        createdAt: daysBefore(1),
        validUntil: daysAfter(5),
      });
      const decision = refused(decide({ claims: [second, first] }));
      expect(decision.holder?.organisationId).toBe('org-lysekil');
      expect(decision.nextAllowedAt).toEqual(daysAfter(5));
    });

    // Design choice: exemptions lift the cool-off only; a claim is exclusive for everyone else.
    it('still refuses the owner, placement follow-ups and transactional emails', () => {
      const cases: Partial<ContactPolicyInput>[] = [
        { asker: { organisationId: 'org-af', userId: 'u-owner' } },
        { purpose: 'follow_up', flags: { isActivePlacementFollowUp: true } },
        { asker: { organisationId: 'org-af', userId: null }, flags: { category: 'transactional' } },
      ];
      for (const overrides of cases) {
        const decision = refused(
          decide({ claims: [claim()], contacts: [contact()], ...overrides }),
        );
        expect(decision.reason).toBe('CLAIMED_BY_OTHER');
        // Exempt from the cool-off, so only the claim end counts.
        expect(decision.nextAllowedAt).toEqual(daysAfter(3));
      }
    });
  });

  describe('cool-off', () => {
    it('refuses within the cool-off, naming who contacted, when and the first allowed moment', () => {
      const decision = refused(decide({ contacts: [contact({ userName: 'Anna Ek' })] }));
      expect(decision.reason).toBe('COOL_OFF');
      expect(decision.holder).toEqual({
        organisationId: 'org-af',
        organisationName: 'Arbetsförmedlingen Eslöv',
        userId: 'u-anna',
        userName: 'Anna Ek',
        since: new Date('2026-11-18T13:00:00.000Z'),
        purpose: 'internship',
        channel: 'phone',
      });
      expect(decision.nextAllowedAt).toEqual(new Date('2026-12-02T13:00:00.000Z'));
      expect(decision.decidedAt).toEqual(NOW);
      expect(decision.message).toBe(
        'Employer was last contacted by Arbetsförmedlingen Eslöv (Anna Ek) at ' +
          '2026-11-18T13:00:00.000Z about internship by phone; cool-off is 14 days; ' +
          'next contact allowed at 2026-12-02T13:00:00.000Z.',
      );
    });

    it('counts the most recent contact, whatever the order of the history', () => {
      const old = contact({ occurredAt: daysBefore(40), organisationId: 'org-old' });
      const recent = contact({ occurredAt: daysBefore(2), organisationId: 'org-recent' });
      const a = refused(decide({ contacts: [old, recent] }));
      const b = refused(decide({ contacts: [recent, old] }));
      expect(a.holder?.organisationId).toBe('org-recent');
      expect(b).toEqual(a);
    });

    it("counts the asker's own organisation's contacts (the last contact by anyone)", () => {
      const decision = refused(
        decide({
          contacts: [contact({ organisationId: 'org-yalla', organisationName: 'Yalla Trappan' })],
        }),
      );
      expect(decision.reason).toBe('COOL_OFF');
      expect(decision.holder?.organisationName).toBe('Yalla Trappan');
    });

    it('allows from exactly minDays after the last contact', () => {
      const at = new Date('2026-12-02T13:00:00.000Z');
      expect(decide({ contacts: [contact()], now: at })).toEqual({ decision: 'allowed' });
      expect(
        refused(decide({ contacts: [contact()], now: new Date(at.getTime() - 1) })).reason,
      ).toBe('COOL_OFF');
    });

    it('uses the per-employer override, else the global default', () => {
      const employer = { ...EMPLOYER, minDaysBetweenContacts: 30 };
      const old = contact({ occurredAt: daysBefore(20) });
      expect(refused(decide({ employer, contacts: [old] })).nextAllowedAt).toEqual(daysAfter(10));
      expect(decide({ contacts: [old] })).toEqual({ decision: 'allowed' });
      const recent = contact({ occurredAt: daysBefore(5) });
      expect(decide({ contacts: [recent], defaultMinDaysBetweenContacts: 3 })).toEqual({
        decision: 'allowed',
      });
      expect(
        refused(decide({ contacts: [recent], defaultMinDaysBetweenContacts: 7 })).nextAllowedAt,
      ).toEqual(daysAfter(2));
    });

    it('has no cool-off when minDays is 0', () => {
      const employer = { ...EMPLOYER, minDaysBetweenContacts: 0 };
      expect(decide({ employer, contacts: [contact({ occurredAt: NOW })] })).toEqual({
        decision: 'allowed',
      });
      expect(
        decide({ contacts: [contact({ occurredAt: NOW })], defaultMinDaysBetweenContacts: 0 }),
      ).toEqual({ decision: 'allowed' });
    });

    it('lets the per-employer override of 0 win over the global default', () => {
      expect(
        decide({
          employer: { ...EMPLOYER, minDaysBetweenContacts: 0 },
          contacts: [contact()],
          defaultMinDaysBetweenContacts: 30,
        }),
      ).toEqual({ decision: 'allowed' });
    });

    it('counts contacts flagged as a policy breach', () => {
      expect(refused(decide({ contacts: [contact({ policyBreach: true })] })).reason).toBe(
        'COOL_OFF',
      );
    });

    it('counts a contact dated in the future (clock skew) as made now', () => {
      const future = contact({ occurredAt: daysAfter(2) });
      const decision = refused(decide({ contacts: [future] }));
      expect(decision.holder?.since).toEqual(NOW);
      // The cool-off runs from the recorded time, so the date stays put as the clock moves.
      expect(decision.nextAllowedAt).toEqual(daysAfter(16));
      expect(describeDecision(decision, 'en', formatContactDate)).toContain('today');
    });

    it('keeps the wall-clock time across a DST change (calendar days in Stockholm)', () => {
      const occurredAt = new Date('2026-03-20T10:00:00.000Z'); // 11:00 CET
      const decision = refused(
        decide({ contacts: [contact({ occurredAt })], now: new Date('2026-03-25T10:00:00.000Z') }),
      );
      expect(decision.nextAllowedAt).toEqual(new Date('2026-04-03T09:00:00.000Z')); // 11:00 CEST
      expect(addContactDays(occurredAt, 14)).toEqual(decision.nextAllowedAt);
    });

    it('exempts the owner, and says so only when the exemption was needed', () => {
      const owner = { organisationId: 'org-af', userId: 'u-owner' };
      expect(decide({ asker: owner, contacts: [contact()] })).toEqual({
        decision: 'allowed',
        exemption: 'owner',
      });
      expect(decide({ asker: owner })).toEqual({ decision: 'allowed' });
    });

    it('exempts follow-ups of an active placement, but not other follow-ups', () => {
      const contacts = [contact()];
      expect(
        decide({ contacts, purpose: 'follow_up', flags: { isActivePlacementFollowUp: true } }),
      ).toEqual({ decision: 'allowed', exemption: 'placement_follow_up' });
      expect(refused(decide({ contacts, purpose: 'follow_up' })).reason).toBe('COOL_OFF');
      expect(
        refused(
          decide({ contacts, purpose: 'internship', flags: { isActivePlacementFollowUp: true } }),
        ).reason,
      ).toBe('COOL_OFF');
    });

    it('exempts transactional emails, not outreach ones', () => {
      const contacts = [contact()];
      const system = { organisationId: 'org-af', userId: null };
      expect(decide({ contacts, asker: system, flags: { category: 'transactional' } })).toEqual({
        decision: 'allowed',
        exemption: 'transactional',
      });
      expect(
        refused(decide({ contacts, asker: system, flags: { category: 'outreach' } })).reason,
      ).toBe('COOL_OFF');
    });

    it('never treats a system email as the owner of an employer without owner', () => {
      const decision = decide({
        employer: { ...EMPLOYER, ownerUserId: null },
        asker: { organisationId: 'org-af', userId: null },
        contacts: [contact()],
      });
      expect(refused(decision).reason).toBe('COOL_OFF');
    });
  });

  describe('bad input', () => {
    it('rejects a negative or fractional minDays and invalid dates', () => {
      expect(() => decide({ employer: { ...EMPLOYER, minDaysBetweenContacts: -1 } })).toThrow(
        RangeError,
      );
      expect(() => decide({ defaultMinDaysBetweenContacts: 1.5 })).toThrow(RangeError);
      expect(() => decide({ now: new Date(NaN) })).toThrow(RangeError);
      expect(() => decide({ contacts: [contact({ occurredAt: new Date('nope') })] })).toThrow(
        RangeError,
      );
    });
  });
});

describe('describeDecision', () => {
  it('writes the Swedish cool-off banner', () => {
    const decision = decide({ contacts: [contact()] });
    expect(describeDecision(decision, 'sv', formatContactDate)).toBe(
      'Arbetsförmedlingen Eslöv kontaktade arbetsgivaren för 3 dagar sedan om praktik; ' +
        'nästa kontakt tillåten 2026-12-02.',
    );
    expect(describeDecision(decision, 'en', formatContactDate)).toBe(
      'Arbetsförmedlingen Eslöv contacted the employer 3 days ago about internship; ' +
        'next contact allowed 2026-12-02.',
    );
  });

  it('counts calendar days in Stockholm and accepts another now', () => {
    const decision = decide({
      contacts: [contact({ userName: 'Anna Ek', purpose: 'trainee_job' })],
    });
    const nextMorning = new Date('2026-11-19T07:00:00.000Z');
    expect(describeDecision(decision, 'sv', formatContactDate, nextMorning)).toBe(
      'Arbetsförmedlingen Eslöv (Anna Ek) kontaktade arbetsgivaren igår om traineejobb; ' +
        'nästa kontakt tillåten 2026-12-02.',
    );
    const sameEvening = new Date('2026-11-18T20:00:00.000Z');
    expect(describeDecision(decision, 'en', formatContactDate, sameEvening)).toContain(
      'contacted the employer today about trainee job',
    );
  });

  it('says when the last contact was an automated email', () => {
    const decision = decide({ contacts: [contact({ userId: null, channel: 'email' })] });
    expect(describeDecision(decision, 'sv', formatContactDate)).toBe(
      'Arbetsförmedlingen Eslöv (automatiskt mejl) kontaktade arbetsgivaren för 3 dagar sedan ' +
        'om praktik; nästa kontakt tillåten 2026-12-02.',
    );
  });

  it('describes a claim', () => {
    const decision = decide({ claims: [claim()] });
    expect(describeDecision(decision, 'sv', formatContactDate)).toBe(
      'Arbetsmarknadsenheten Lysekil (Lars Berg) har reserverat kontakten med arbetsgivaren om ' +
        'rekrytering sedan 2026-11-20; nästa kontakt tillåten 2026-11-24.',
    );
    expect(describeDecision(decision, 'en', formatContactDate)).toBe(
      'Arbetsmarknadsenheten Lysekil (Lars Berg) has claimed contact with the employer about ' +
        'recruitment since 2026-11-20; next contact allowed 2026-11-24.',
    );
  });

  it('describes do-not-contact with and without an end date', () => {
    const employer: ContactPolicyEmployer = {
      ...EMPLOYER,
      status: 'do_not_contact',
      doNotContactReason: 'omorganisation',
    };
    expect(describeDecision(decide({ employer }), 'sv', formatContactDate)).toBe(
      'Arbetsgivaren får inte kontaktas tills vidare (orsak: omorganisation).',
    );
    const until = { ...employer, doNotContactUntil: new Date('2027-01-15T00:00:00.000Z') };
    expect(describeDecision(decide({ employer: until }), 'en', formatContactDate)).toBe(
      'The employer must not be contacted (reason: omorganisation); next contact allowed 2027-01-15.',
    );
  });

  it('describes allowed decisions and their exemptions', () => {
    expect(describeDecision({ decision: 'allowed' }, 'sv', formatContactDate)).toBe(
      'Kontakt tillåten.',
    );
    expect(
      describeDecision({ decision: 'allowed', exemption: 'owner' }, 'en', formatContactDate),
    ).toBe('Contact allowed: you are responsible for this employer.');
  });

  it('uses the Swedish purpose words', () => {
    const words = CONTACT_PURPOSES.map((purpose) => {
      const text = describeDecision(
        decide({ contacts: [contact({ purpose })] }),
        'sv',
        formatContactDate,
      );
      return /om (.+);/.exec(text)?.[1];
    });
    expect(words).toEqual([
      'praktik',
      'rekrytering',
      'traineejobb',
      'utbildningskontrakt',
      'arbetsträning',
      'uppföljning',
      'annat',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const BASE = NOW.getTime();
const ORGS = ['org-a', 'org-b', 'org-c'] as const;
const USERS = ['u-1', 'u-2', 'u-owner'] as const;

// A few fixed recent instants and coarse grids (whole days, whole hours) make ties between
// contacts and claims likely; millisecond offsets cover everything in between.
const offsetArb = fc.oneof(
  fc.constantFrom(-2 * DAY, -3 * 60 * 60 * 1000, 0, 2 * DAY),
  fc.integer({ min: -30, max: 30 }).map((days) => days * DAY),
  fc.integer({ min: -60 * 24, max: 60 * 24 }).map((hours) => hours * 60 * 60 * 1000),
  fc.integer({ min: -60 * DAY, max: 60 * DAY }),
);
const dateArb = offsetArb.map((offset) => new Date(BASE + offset));
const orgArb = fc.constantFrom(...ORGS);
const userArb = fc.option(fc.constantFrom(...USERS), { nil: null });
const purposeArb = fc.constantFrom(...CONTACT_PURPOSES);
const nameArb = fc.option(fc.constantFrom('Anna', 'Lars', 'Yasmin'), { nil: null });

const contactArb: fc.Arbitrary<ContactPolicyContact> = fc.record({
  occurredAt: dateArb,
  organisationId: orgArb,
  organisationName: fc.constantFrom('Org A', 'Org B'),
  userId: userArb,
  userName: nameArb,
  purpose: purposeArb,
  channel: fc.constantFrom(...CONTACT_CHANNELS),
  policyBreach: fc.boolean(),
});

const claimArb: fc.Arbitrary<ContactPolicyClaim> = fc.record({
  id: fc.constantFrom('c-1', 'c-2', 'c-3'),
  organisationId: orgArb,
  organisationName: fc.constantFrom('Org A', 'Org B'),
  userId: userArb,
  userName: nameArb,
  purpose: purposeArb,
  createdAt: dateArb,
  validUntil: dateArb,
  status: fc.constantFrom(...CONTACT_CLAIM_STATUSES),
});

const minDaysArb = fc.option(fc.integer({ min: 0, max: 30 }), { nil: null });

const employerArb: fc.Arbitrary<ContactPolicyEmployer> = fc.record({
  status: fc.constantFrom(...EMPLOYER_STATUSES),
  doNotContactReason: fc.option(fc.constantFrom('asked to stop', 'bankrupt'), { nil: null }),
  doNotContactUntil: fc.option(dateArb, { nil: null }),
  minDaysBetweenContacts: minDaysArb,
  ownerUserId: userArb,
  ownerOrganisationId: fc.option(orgArb, { nil: null }),
});

const inputArb: fc.Arbitrary<ContactPolicyInput> = fc.record({
  employer: employerArb,
  defaultMinDaysBetweenContacts: fc.option(fc.integer({ min: 0, max: 30 }), {
    nil: undefined,
  }),
  contacts: fc.array(contactArb, { maxLength: 6 }),
  claims: fc.array(claimArb, { maxLength: 3 }),
  asker: fc.record({ organisationId: orgArb, userId: userArb }),
  purpose: purposeArb,
  flags: fc.record(
    {
      isActivePlacementFollowUp: fc.boolean(),
      category: fc.constantFrom('human' as const, 'transactional' as const, 'outreach' as const),
    },
    { requiredKeys: [] },
  ),
  now: fc.constant(NOW),
});

/** A permutation of `items` (same elements, another order). */
function permutationArb<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), {
      minLength: items.length,
      maxLength: items.length,
    })
    .map((keys) =>
      items
        .map((item, i) => ({ item, key: keys[i] }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item),
    );
}

describe('decideContact properties', () => {
  it('(1) do-not-contact without end, or ending in the future, always refuses', () => {
    const untilArb = fc.option(
      fc.integer({ min: 1, max: 60 * DAY }).map((ms) => new Date(BASE + ms)),
      { nil: null },
    );
    fc.assert(
      fc.property(inputArb, untilArb, (input, until) => {
        const employer = { ...input.employer, status: 'do_not_contact' as const };
        employer.doNotContactUntil = until;
        const decision = refused(decideContact({ ...input, employer }));
        expect(decision.reason).toBe('DO_NOT_CONTACT');
        expect(decision.nextAllowedAt === null).toBe(until === null);
      }),
      { numRuns: 500 },
    );
  });

  it('(1b) the owner, follow-ups and transactional emails get no exemption from do-not-contact', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decideContact({
          ...input,
          employer: { ...input.employer, status: 'do_not_contact', doNotContactUntil: null },
          asker: { organisationId: input.asker.organisationId, userId: 'u-owner' },
          purpose: 'follow_up',
          flags: { isActivePlacementFollowUp: true, category: 'transactional' },
        });
        expect(refused(decision).reason).toBe('DO_NOT_CONTACT');
      }),
    );
  });

  it('(2) a refusal carries nextAllowedAt (unless open-ended do-not-contact), and that moment is allowed', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decideContact(input);
        if (decision.decision === 'allowed') {
          return;
        }
        const openEnded =
          input.employer.status === 'do_not_contact' && !input.employer.doNotContactUntil;
        if (decision.nextAllowedAt === null) {
          expect(decision.reason).toBe('DO_NOT_CONTACT');
          expect(openEnded).toBe(true);
          return;
        }
        const at = decision.nextAllowedAt;
        expect(decideContact({ ...input, now: at }).decision).toBe('allowed');
        // ...and it is the first such moment: a millisecond earlier is still refused.
        expect(decideContact({ ...input, now: new Date(at.getTime() - 1) }).decision).toBe(
          'refused',
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('(2b) once allowed at nextAllowedAt, every later moment is allowed too', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 90 * DAY }), (input, later) => {
        const decision = decideContact(input);
        if (decision.decision === 'allowed' || decision.nextAllowedAt === null) {
          return;
        }
        const now = new Date(decision.nextAllowedAt.getTime() + later);
        expect(decideContact({ ...input, now }).decision).toBe('allowed');
      }),
      { numRuns: 500 },
    );
  });

  it('(3) the owner is never refused by the cool-off', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...USERS), (input, owner) => {
        const decision = decideContact({
          ...input,
          employer: { ...input.employer, ownerUserId: owner },
          asker: { ...input.asker, userId: owner },
        });
        if (decision.decision === 'refused') {
          expect(decision.reason).not.toBe('COOL_OFF');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('(4) the decision does not depend on the order of contacts or claims', () => {
    const arb = inputArb.chain((input) =>
      fc.tuple(fc.constant(input), permutationArb(input.contacts), permutationArb(input.claims)),
    );
    fc.assert(
      fc.property(arb, ([input, contacts, claims]) => {
        expect(decideContact({ ...input, contacts, claims })).toEqual(decideContact(input));
      }),
      { numRuns: 500 },
    );
  });

  // Ties: a base record and variants that each differ from it in one field, each sorting after
  // it, so that in some runs a base/variant pair tied on all but one field decides the holder.
  const tieBase = {
    employer: EMPLOYER,
    asker: { organisationId: 'org-a', userId: 'u-1' },
    purpose: 'internship' as const,
    now: NOW,
  };

  it('(4b) ties on the latest contact do not depend on order', () => {
    const base: ContactPolicyContact = {
      occurredAt: daysBefore(1),
      organisationId: 'org-b',
      organisationName: 'Org B',
      userId: null,
      userName: null,
      purpose: 'internship',
      channel: 'email',
    };
    const variants: ContactPolicyContact[] = [
      base,
      { ...base, organisationId: 'org-c' },
      { ...base, organisationName: 'Org B2' },
      { ...base, userId: 'u-2' },
      { ...base, userName: 'Lars' },
      { ...base, purpose: 'recruitment' },
      { ...base, channel: 'phone' },
      { ...base, policyBreach: true },
    ];
    const arb = fc
      .subarray(variants, { minLength: 2 })
      .chain((contacts) => fc.tuple(fc.constant(contacts), permutationArb(contacts)));
    fc.assert(
      fc.property(arb, ([contacts, shuffled]) => {
        const a = decideContact({ ...tieBase, contacts, claims: [] });
        expect(refused(a).reason).toBe('COOL_OFF');
        expect(decideContact({ ...tieBase, contacts: shuffled, claims: [] })).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('(4c) ties on the earliest claim do not depend on order', () => {
    const base: ContactPolicyClaim = {
      id: 'c-1',
      organisationId: 'org-b',
      organisationName: 'Org B',
      userId: null,
      userName: null,
      purpose: 'internship',
      createdAt: daysBefore(1),
      validUntil: daysAfter(3),
      status: 'active',
    };
    const variants: ContactPolicyClaim[] = [
      base,
      { ...base, id: 'c-2' },
      { ...base, organisationId: 'org-c' },
      { ...base, organisationName: 'Org B2' },
      { ...base, userId: 'u-2' },
      { ...base, userName: 'Lars' },
      { ...base, purpose: 'recruitment' },
      { ...base, validUntil: daysAfter(2) },
    ];
    const arb = fc
      .subarray(variants, { minLength: 2 })
      .chain((claims) => fc.tuple(fc.constant(claims), permutationArb(claims)));
    fc.assert(
      fc.property(arb, ([claims, shuffled]) => {
        const a = decideContact({ ...tieBase, contacts: [], claims });
        expect(refused(a).reason).toBe('CLAIMED_BY_OTHER');
        expect(decideContact({ ...tieBase, contacts: [], claims: shuffled })).toEqual(a);
      }),
      { numRuns: 300 },
    );
  });

  it('(5) nextAllowedAt is never before now', () => {
    fc.assert(
      fc.property(inputArb, offsetArb, (input, offset) => {
        const now = new Date(BASE + offset);
        const decision = decideContact({ ...input, now });
        if (decision.decision === 'refused' && decision.nextAllowedAt !== null) {
          expect(decision.nextAllowedAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a claim refusal always names another organisation's claim that is in force", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decideContact(input);
        if (decision.decision === 'refused' && decision.reason === 'CLAIMED_BY_OTHER') {
          expect(decision.holder?.organisationId).not.toBe(input.asker.organisationId);
          const held = input.claims.some(
            (c) =>
              isClaimInForce(c, input.now) &&
              c.organisationId === decision.holder?.organisationId &&
              c.createdAt.getTime() === decision.holder?.since.getTime(),
          );
          expect(held).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('describes every decision in both languages without throwing', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom('sv' as const, 'en' as const), (input, locale) => {
        const text = describeDecision(decideContact(input), locale, formatContactDate);
        expect(text).toMatch(/\.$/);
        expect(text).not.toContain('undefined');
      }),
    );
  });
});
