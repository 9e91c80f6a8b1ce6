/**
 * Demo step: a few hundred fictional employers across sectors and municipalities, municipal
 * departments sharing their municipality's org number, contact persons, owners, and a handful
 * of near-duplicates waiting on the review page. Deterministic (seeded), so re-runs update the
 * same rows instead of adding new ones.
 */
import { newId } from '../../database/base.entity';
import { ContactPerson } from '../../employers/contact-person.entity';
import { normalizeEmployerName, normalizeUnitName } from '../../employers/duplicates';
import { writeNameIndex } from '../../employers/name-index';
import { Employer, EmployerSector, EmployerSegment } from '../../employers/employer.entity';
import type { DemoContext } from '../seed-demo';

const MUNICIPALITIES: { code: string; name: string; org: string }[] = [
  { code: '1285', name: 'Eslöv', org: '2120001124' },
  { code: '1281', name: 'Lund', org: '2120001231' },
  { code: '1267', name: 'Höör', org: '2120001090' },
  { code: '1266', name: 'Hörby', org: '2120001355' },
  { code: '1484', name: 'Lysekil', org: '2120000142' },
];
const DEPARTMENTS = [
  'Barn- och utbildningsförvaltningen',
  'Kulturförvaltningen',
  'Fritidsförvaltningen',
  'Vård- och omsorgsförvaltningen',
  'Samhällsbyggnadsförvaltningen',
  'Socialförvaltningen',
];
const SURNAMES = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Pettersson',
  'Jonsson',
  'Lindberg',
  'Lindqvist',
  'Åberg',
  'Öberg',
  'Björk',
  'Ek',
  'Holm',
  'Sjöberg',
];
const TRADES: { word: string; sni: string; segments?: EmployerSegment[] }[] = [
  { word: 'Bygg', sni: '41.200', segments: ['shortage_occupation'] },
  { word: 'Måleri', sni: '43.341' },
  { word: 'El', sni: '43.210', segments: ['shortage_occupation'] },
  { word: 'VVS', sni: '43.220', segments: ['shortage_occupation'] },
  { word: 'Städ', sni: '81.210' },
  { word: 'Transport', sni: '49.410' },
  { word: 'Bageri', sni: '10.710' },
  { word: 'Café', sni: '56.100' },
  { word: 'Restaurang', sni: '56.100' },
  { word: 'Frisör', sni: '96.021' },
  { word: 'Bilverkstad', sni: '45.200' },
  { word: 'Trädgård', sni: '81.300' },
  { word: 'Redovisning', sni: '69.201' },
  { word: 'Lager & Logistik', sni: '52.100' },
];
const FIRST = [
  'Anna',
  'Erik',
  'Maria',
  'Johan',
  'Sara',
  'Ali',
  'Fatima',
  'Lars',
  'Karin',
  'Mohammed',
  'Emma',
  'Oskar',
  'Leila',
  'Nils',
  'Eva',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A valid (Luhn) 10-digit org number for an aktiebolag (5569…). */
function orgNumber(n: number): string {
  const base = `5569${String(100000 + n).slice(-5)}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) {
      d -= 9;
    }
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
}

export async function seedDemoEmployers(ctx: DemoContext): Promise<string> {
  const { m, users } = ctx;
  const random = rng(20261122);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const owners = [users['rekryterare.af'], users['rekryterare.ame']];
  const rows: {
    e: Partial<Employer>;
    contact?: { name: string; email: string; phone: string; title: string };
  }[] = [];

  for (const mun of MUNICIPALITIES) {
    rows.push({
      e: {
        name: `${mun.name}s kommun`,
        orgNumber: mun.org,
        unitName: null,
        sector: 'municipal_department',
        municipality: mun.code,
      },
    });
    for (const dep of DEPARTMENTS) {
      rows.push({
        e: {
          name: `${mun.name}s kommun`,
          orgNumber: mun.org,
          unitName: dep,
          sector: 'municipal_department',
          municipality: mun.code,
          segments: ['welfare_trainee_jobs'],
        },
        contact: {
          name: `${pick(FIRST)} ${pick(SURNAMES)}`,
          title: 'Enhetschef',
          email: `${dep.split(/[ -]/)[0].toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o')}@${mun.name.toLowerCase().replace(/ö/g, 'o')}.se`,
          phone: '0413-620 00',
        },
      });
    }
    rows.push({
      e: {
        name: `${mun.name} Energi AB`,
        orgNumber: orgNumber(900 + rows.length),
        sector: 'municipal_company',
        municipality: mun.code,
      },
    });
    rows.push({
      e: {
        name: `${mun.name}hem AB`,
        orgNumber: orgNumber(950 + rows.length),
        sector: 'municipal_company',
        municipality: mun.code,
      },
    });
  }
  rows.push({
    e: {
      name: 'Yalla Trappan',
      orgNumber: '7696215032',
      sector: 'social_enterprise',
      municipality: '1280',
      segments: ['social_enterprise', 'iop_partner'],
    },
  });
  rows.push({
    e: {
      name: 'Malmö FF Karriärakademin',
      sector: 'association',
      municipality: '1280',
      segments: ['iop_partner'],
    },
  });
  rows.push({
    e: {
      name: 'Region Skåne',
      orgNumber: '2321000255',
      unitName: 'Skånes universitetssjukhus',
      sector: 'region',
      municipality: '1281',
    },
  });

  let n = 0;
  while (rows.length < 300) {
    n++;
    const mun = pick(MUNICIPALITIES);
    const trade = pick(TRADES);
    const name =
      random() < 0.5 ? `${pick(SURNAMES)}s ${trade.word} AB` : `${trade.word} i ${mun.name} AB`;
    if (rows.some((r) => r.e.name === name && r.e.municipality === mun.code)) {
      continue;
    }
    const small = random() < 0.6;
    rows.push({
      e: {
        name,
        orgNumber: orgNumber(n),
        sector: 'private',
        municipality: mun.code,
        industry: trade.sni,
        sizeClass: small ? '1-9' : '10-49',
        segments: [
          ...(trade.segments ?? []),
          ...(small ? (['small_business'] as EmployerSegment[]) : []),
        ],
      },
      contact:
        random() < 0.7
          ? {
              name: `${pick(FIRST)} ${pick(SURNAMES)}`,
              title: 'VD',
              email: `info${n}@exempel-${mun.code}.se`,
              phone: `070-${String(1000000 + n).slice(-7)}`,
            }
          : undefined,
    });
  }
  // Near-duplicates registered by someone who did not search first: waiting for review.
  rows.push({ e: { name: 'Cafe Akerlund', sector: 'private', municipality: '1285' } });
  rows.push({
    e: {
      name: 'Café Åkerlund AB',
      sector: 'private',
      municipality: '1285',
      orgNumber: orgNumber(4001),
    },
  });
  rows.push({ e: { name: 'Lindqvists Bygg', sector: 'private', municipality: '1267' } });
  rows.push({
    e: {
      name: 'Lindqvist Bygg AB',
      sector: 'private',
      municipality: '1267',
      orgNumber: orgNumber(4002),
    },
  });
  rows.push({ e: { name: 'Hörby Trädgårdstjänst', sector: 'private', municipality: '1266' } });
  rows.push({ e: { name: 'Hörby Trädgårdstjänst HB', sector: 'private', municipality: '1266' } });

  let created = 0;
  for (const [i, r] of rows.entries()) {
    const repo = m.getRepository(Employer);
    const normalizedUnitName = normalizeUnitName(r.e.unitName ?? null);
    const existing = r.e.orgNumber
      ? await repo.findOne({ where: { orgNumber: r.e.orgNumber, normalizedUnitName } })
      : await repo.findOne({
          where: { name: r.e.name!, municipality: r.e.municipality ?? undefined },
        });
    const e = existing ?? repo.create({ id: newId() });
    Object.assign(e, {
      orgNumber: null,
      unitName: null,
      industry: null,
      sizeClass: null,
      segments: [],
      address: null,
      website: null,
      minDaysBetweenContacts: null,
      preferredChannel: null,
      doNotContactReason: null,
      doNotContactUntil: null,
      mergedIntoId: null,
      archivedAt: null,
      status: 'active',
      orgNumberIsPersonnummer: false,
      ...r.e,
      sector: r.e.sector as EmployerSector,
      normalizedName: normalizeEmployerName(r.e.name!),
      normalizedUnitName,
      ownerUserId: i % 3 === 0 ? owners[i % 2].id : null,
    });
    await repo.save(e);
    await writeNameIndex(m, [e]);
    if (r.contact && !existing) {
      await m
        .getRepository(ContactPerson)
        .save(
          m
            .getRepository(ContactPerson)
            .create({ employerId: e.id, ...r.contact, isPrimary: true, emailOptOut: false }),
        );
    }
    created += existing ? 0 : 1;
  }
  return `${rows.length} employers (${created} new), ${MUNICIPALITIES.length * DEPARTMENTS.length} municipal departments, 3 near-duplicate pairs to review`;
}
