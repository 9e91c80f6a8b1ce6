/**
 * Demo step: internship slots in municipal departments, municipal companies and private
 * employers, in every status, with supervisors with and without handledarutbildning.
 * Re-runs replace the demo slots (those owned by demo users).
 */
import { In, IsNull, Not } from 'typeorm';
import { newId } from '../../database/base.entity';
import { ContactPerson } from '../../employers/contact-person.entity';
import { Employer } from '../../employers/employer.entity';
import { InternshipSlot } from '../../slots/internship-slot.entity';
import { SlotStatus } from '../../slots/slot-status';
import type { DemoContext } from '../seed-demo';

const TEMPLATES = [
  {
    title: 'Biblioteksassistent',
    field: 'Kultur, media, design',
    ssyk: '4411',
    tasks: [
      'Ställa upp återlämnade böcker',
      'Hjälpa besökare att hitta rätt hylla',
      'Plasta in nya böcker',
    ],
  },
  {
    title: 'Fritidsgårdsassistent',
    field: 'Pedagogik',
    ssyk: '3423',
    tasks: ['Förbereda mellanmål', 'Hålla ordning i lokalerna', 'Vara med i aktiviteter'],
  },
  {
    title: 'Köksbiträde',
    field: 'Hotell, restaurang, storhushåll',
    ssyk: '9412',
    tasks: ['Diska', 'Skala och skära grönsaker', 'Duka fram och av'],
  },
  {
    title: 'Lagerarbete – plock och pack',
    field: 'Transport, distribution, lager',
    ssyk: '9331',
    tasks: ['Plocka varor enligt lista', 'Packa beställningar', 'Sortera inleveranser'],
  },
  {
    title: 'Parkarbetare',
    field: 'Naturbruk',
    ssyk: '9214',
    tasks: ['Kratta löv', 'Tömma papperskorgar', 'Rensa ogräs i rabatter'],
  },
  {
    title: 'Vårdbiträde – service',
    field: 'Hälso- och sjukvård',
    ssyk: '5330',
    tasks: ['Dela ut fika', 'Följa med på promenader', 'Bädda sängar'],
  },
  {
    title: 'Butiksbiträde',
    field: 'Försäljning, inköp, marknadsföring',
    ssyk: '5223',
    tasks: ['Fylla på hyllor', 'Plocka fram varor', 'Hålla ordning i butiken'],
  },
];
const STATUSES: SlotStatus[] = [
  'open',
  'open',
  'open',
  'awaiting_confirmation',
  'draft',
  'paused',
  'closed',
  'full',
];
const DAY = 86_400_000;

export async function seedDemoSlots(ctx: DemoContext): Promise<string> {
  const { m, users } = ctx;
  const owners = [users['rekryterare.af'], users['rekryterare.ame']];
  await m.getRepository(InternshipSlot).delete({ ownerUserId: In(owners.map((u) => u.id)) });
  const employers = [
    ...(await m.getRepository(Employer).find({
      where: { sector: 'municipal_department', unitName: Not(IsNull()), mergedIntoId: IsNull() },
      take: 24,
    })),
    ...(await m
      .getRepository(Employer)
      .find({ where: { sector: 'municipal_company', mergedIntoId: IsNull() }, take: 4 })),
    ...(await m.getRepository(Employer).find({
      where: { sector: 'private', mergedIntoId: IsNull() },
      order: { normalizedName: 'ASC' },
      take: 10,
    })),
  ];
  const today = new Date();
  let count = 0;
  let trained = 0;
  for (const [i, e] of employers.entries()) {
    let supervisor = await m
      .getRepository(ContactPerson)
      .findOne({ where: { employerId: e.id }, order: { isPrimary: 'DESC' } });
    if (!supervisor) {
      supervisor = await m.getRepository(ContactPerson).save(
        m.getRepository(ContactPerson).create({
          employerId: e.id,
          name: `Handledare ${i + 1}`,
          title: 'Handledare',
          email: `handledare${i + 1}@exempel.se`,
          phone: null,
          isPrimary: true,
          emailOptOut: false,
        }),
      );
    }
    // Every other supervisor has had handledarutbildning.
    const trainedAt =
      i % 2 === 0
        ? new Date(today.getTime() - (30 + i * 7) * DAY).toISOString().slice(0, 10)
        : null;
    await m
      .getRepository(ContactPerson)
      .update({ id: supervisor.id }, { supervisorTrainedAt: trainedAt });
    trained += trainedAt ? 1 : 0;
    const tpl = TEMPLATES[i % TEMPLATES.length];
    const status = STATUSES[i % STATUSES.length];
    const from = new Date(today.getTime() + ((i % 6) - 2) * 7 * DAY).toISOString().slice(0, 10);
    await m.getRepository(InternshipSlot).insert({
      id: newId(),
      employerId: e.id,
      title: tpl.title,
      occupationField: tpl.field,
      ssyk: tpl.ssyk,
      tasks: tpl.tasks,
      capacity: 1 + (i % 3),
      hoursPerWeek: [20, 25, 30, 40][i % 4],
      municipality: e.municipality ?? '1285',
      address: null,
      availableFrom: from,
      availableTo: null,
      maxWeeks: [12, 16, 26][i % 3],
      requirements: {
        drivingLicence: i % 7 === 0,
        swedishLevel: i % 3 === 0 ? 'basic' : 'none',
        other: null,
      },
      adaptations:
        i % 2 === 0
          ? ['low_threshold']
          : i % 3 === 0
            ? ['accessible_workplace', 'flexible_hours']
            : [],
      supervisorId: supervisor.id,
      status,
      ownerUserId: owners[i % 2].id,
      lastConfirmedAt: ['open', 'full', 'paused'].includes(status)
        ? new Date(today.getTime() - (i % 4 === 0 ? 100 : 20) * DAY)
        : null,
      declineReason: null,
    });
    count++;
  }
  return `${count} slots (${employers.length} employers, every status), ${trained} trained supervisors`;
}
