/**
 * Demo step: a shared contact history across the demo organisations, a few active claims and
 * one employer under do-not-contact, so the banner and refusals can be seen at once. Re-runs
 * replace the demo users' contacts and claims (nobody else's).
 */
import { In, IsNull } from 'typeorm';
import { newId } from '../../database/base.entity';
import { ContactClaim, ContactEvent } from '../../contacts/contact-event.entity';
import type { ContactChannel, ContactPurpose } from '../../contacts/contact-policy';
import { Employer } from '../../employers/employer.entity';
import type { DemoContext } from '../seed-demo';

const DAY = 86_400_000;
const OUTCOMES = [
  'Positiv – kan ta emot en praktikant efter nyår',
  'Inget behov just nu, hör av er i vår',
  'Vill veta mer om instegspraktik, skickar information',
  'Bokat besök på arbetsplatsen',
  'Intresserade av traineejobb inom lager',
];

export async function seedDemoContacts(ctx: DemoContext): Promise<string> {
  const { m, users, organisations } = ctx;
  const demoUsers = Object.values(users).map((u) => u.id);
  await m.getRepository(ContactEvent).delete({ userId: In(demoUsers) });
  await m.getRepository(ContactClaim).delete({ userId: In(demoUsers) });

  const employers = await m
    .getRepository(Employer)
    .find({ where: { mergedIntoId: IsNull() }, order: { normalizedName: 'ASC' }, take: 60 });
  const actors = [
    { user: users['rekryterare.af'], org: organisations.af },
    { user: users['rekryterare.ame'], org: organisations.ame },
    { user: users['samordnare'], org: organisations.ifo },
    { user: users['coach'], org: organisations.yalla },
  ];
  const purposes: ContactPurpose[] = [
    'internship',
    'recruitment',
    'trainee_job',
    'work_training',
    'internship',
  ];
  const channels: ContactChannel[] = ['phone', 'email', 'visit', 'meeting', 'phone'];
  const now = Date.now();
  let events = 0;
  for (const [i, e] of employers.slice(0, 40).entries()) {
    const n = 1 + (i % 3);
    for (let k = 0; k < n; k++) {
      const a = actors[(i + k) % actors.length];
      const daysAgo = 2 + ((i * 7 + k * 11) % 50);
      await m.getRepository(ContactEvent).insert({
        id: newId(),
        employerId: e.id,
        contactPersonId: null,
        organisationId: a.org.id,
        userId: a.user.id,
        channel: channels[(i + k) % channels.length],
        purpose: purposes[(i + 2 * k) % purposes.length],
        occurredAt: new Date(now - daysAgo * DAY),
        outcome: OUTCOMES[(i + k) % OUTCOMES.length],
        note: null,
        nextStepAt: k === 0 && i % 4 === 0 ? new Date(now + ((i % 10) - 3) * DAY) : null,
        nextStepDoneAt: null,
        claimId: null,
        policyBreach: false,
        breachReason: null,
        mailOutboxId: null,
      });
      events++;
    }
  }
  // Active claims: Arbetsförmedlingen and the labour-market unit have booked a few employers.
  let claims = 0;
  for (const [i, e] of employers.slice(40, 46).entries()) {
    const a = actors[i % 2];
    await m.getRepository(ContactClaim).insert({
      id: newId(),
      employerId: e.id,
      organisationId: a.org.id,
      userId: a.user.id,
      purpose: 'internship',
      validUntil: new Date(now + (3 + i) * DAY),
      status: 'active',
      endedAt: null,
    });
    claims++;
  }
  const blocked = employers[46];
  if (blocked) {
    await m.getRepository(Employer).update(
      { id: blocked.id },
      {
        status: 'do_not_contact',
        doNotContactReason: 'Har bett att inte bli kontaktade under omorganisationen',
        doNotContactUntil: new Date(now + 120 * DAY),
      },
    );
  }
  return `${events} contacts across ${actors.length} organisations, ${claims} active claims, 1 employer under do-not-contact (${blocked?.name ?? '–'})`;
}
