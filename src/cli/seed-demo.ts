/**
 * Fills an empty database with a fictional Swedish setting, so a newcomer can click through at once:
 *   npm run seed:demo            (refuses if the database holds non-demo users)
 *   npm run seed:demo -- --force (adds/refreshes the demo data anyway)
 * Idempotent: running it again updates the same demo rows. Later features add their own steps.
 */
import { DataSource, EntityManager, Not, Like } from 'typeorm';
import { hashPassword } from '../auth/passwords';
import { Role } from '../auth/roles';
import { Organisation, OrganisationKind } from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import { openCli, parseArgs } from './cli-context';
import { seedDemoContacts } from './demo/contacts.demo';
import { seedDemoEmployers } from './demo/employers.demo';
import { seedDemoSlots } from './demo/slots.demo';

export const DEMO_DOMAIN = 'demo.praktiknav.se';
export const DEMO_PASSWORD = 'Praktiknav-demo-2026';

export const DEMO_ORGANISATIONS: {
  key: string;
  name: string;
  kind: OrganisationKind;
  municipalityCode: string;
}[] = [
  {
    key: 'ame',
    name: 'Arbetsmarknadsenheten Eslöv',
    kind: 'municipality',
    municipalityCode: '1285',
  },
  {
    key: 'af',
    name: 'Arbetsförmedlingen Eslöv',
    kind: 'employment_service',
    municipalityCode: '1285',
  },
  {
    key: 'ifo',
    name: 'Individ- och familjeomsorgen Eslöv',
    kind: 'municipality',
    municipalityCode: '1285',
  },
  {
    key: 'kaa',
    name: 'KAA / Vuxenutbildningen Eslöv',
    kind: 'municipality',
    municipalityCode: '1285',
  },
  { key: 'yalla', name: 'Yalla Trappan', kind: 'civil_society', municipalityCode: '1280' },
];

export const DEMO_USERS: { email: string; name: string; roles: Role[]; org: string }[] = [
  { email: `admin@${DEMO_DOMAIN}`, name: 'Alva Admin', roles: ['admin'], org: 'ame' },
  { email: `rekryterare.af@${DEMO_DOMAIN}`, name: 'Rasmus Lind', roles: ['recruiter'], org: 'af' },
  { email: `rekryterare.ame@${DEMO_DOMAIN}`, name: 'Fatima Ali', roles: ['recruiter'], org: 'ame' },
  { email: `samordnare@${DEMO_DOMAIN}`, name: 'Sara Nilsson', roles: ['coordinator'], org: 'ifo' },
  { email: `coach@${DEMO_DOMAIN}`, name: 'Omar Haddad', roles: ['coordinator'], org: 'yalla' },
  { email: `handledare@${DEMO_DOMAIN}`, name: 'Henrik Berg', roles: ['supervisor'], org: 'ame' },
];

export interface DemoContext {
  m: EntityManager;
  organisations: Record<string, Organisation>;
  users: Record<string, User>;
}

/** Each feature appends its step; steps get the organisations and users made before them. */
export const DEMO_STEPS: { name: string; run: (ctx: DemoContext) => Promise<string | void> }[] = [
  { name: 'employers', run: (ctx) => seedDemoEmployers(ctx) },
  { name: 'contacts', run: (ctx) => seedDemoContacts(ctx) },
  { name: 'slots', run: (ctx) => seedDemoSlots(ctx) },
];

export async function seedDemo(db: DataSource): Promise<DemoContext> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (m) => {
    const organisations: Record<string, Organisation> = {};
    for (const o of DEMO_ORGANISATIONS) {
      const repo = m.getRepository(Organisation);
      const org =
        (await repo.findOne({ where: { name: o.name } })) ?? repo.create({ name: o.name });
      Object.assign(org, { kind: o.kind, municipalityCode: o.municipalityCode, active: true });
      organisations[o.key] = await repo.save(org);
    }
    const users: Record<string, User> = {};
    for (const u of DEMO_USERS) {
      const repo = m.getRepository(User);
      const user =
        (await repo.findOne({ where: { email: u.email } })) ??
        repo.create({ email: u.email, lastLoginAt: null });
      Object.assign(user, {
        name: u.name,
        roles: u.roles,
        organisationId: organisations[u.org].id,
        passwordHash,
        active: true,
        locale: 'sv',
      });
      users[u.email.split('@')[0]] = await repo.save(user);
    }
    const ctx = { m, organisations, users };
    for (const step of DEMO_STEPS) {
      const summary = await step.run(ctx);
      if (summary) {
        process.stdout.write(`  ${step.name}: ${summary}\n`);
      }
    }
    return ctx;
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { db, config } = await openCli();
  try {
    const realUsers = await db
      .getRepository(User)
      .count({ where: { email: Not(Like(`%@${DEMO_DOMAIN}`)) } });
    if (realUsers > 0 && !args.force) {
      process.stderr.write(
        `The database ${config.database.name} already has ${realUsers} real user(s). Demo data is meant for an empty database.\n` +
          'Run with --force to add it anyway: npm run seed:demo -- --force\n',
      );
      process.exitCode = 1;
      return;
    }
    await seedDemo(db);
    process.stdout.write(
      `\nDemo data is loaded in ${config.database.name}. Sign in at ${config.appUrl}/login with password ${DEMO_PASSWORD}:\n`,
    );
    for (const u of DEMO_USERS) {
      const org = DEMO_ORGANISATIONS.find((o) => o.key === u.org)!;
      process.stdout.write(
        `  ${u.roles.join('+').padEnd(12)} ${u.email.padEnd(40)} ${u.name} (${org.name})\n`,
      );
    }
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`seed:demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
