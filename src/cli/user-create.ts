/**
 * Creates a user (the first admin, typically):
 *   npm run user:create -- --email a@b.se --name "Anna" --role admin --organisation "Eslövs kommun"
 * The password comes from PRAKTIKNAV_PASSWORD, or is asked for (hidden) when run in a terminal.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AuditEvent } from '../audit/audit-event.entity';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { Role, ROLES } from '../auth/roles';
import { isStrictEmail } from '../common/validators';
import { newId } from '../database/base.entity';
import {
  Organisation,
  ORGANISATION_KINDS,
  OrganisationKind,
} from '../organisations/organisation.entity';
import { User } from '../organisations/user.entity';
import { openCli, parseArgs } from './cli-context';

const USAGE = `Usage: npm run user:create -- --email EMAIL --name "NAME" --role ROLE [--role ROLE] --organisation "ORG NAME" [--organisation-kind KIND]
  ROLE: ${ROLES.join(', ')}   KIND (for a new organisation): ${ORGANISATION_KINDS.join(', ')} (default municipality)
  The password is read from PRAKTIKNAV_PASSWORD, or asked for.`;

function die(msg: string): never {
  process.stderr.write(`${msg}\n\n${USAGE}\n`);
  process.exit(2);
}

async function askHidden(question: string): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) {
        process.stdout.write(chunk);
      }
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const email = args.email?.[0]?.trim().toLowerCase();
  const name = args.name?.[0]?.trim();
  const roles = (args.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()) as Role[];
  const orgName = args.organisation?.[0]?.trim();
  const kind = (args['organisation-kind']?.[0] ?? 'municipality') as OrganisationKind;
  if (!email || !isStrictEmail(email)) {
    die('--email must be a valid email address');
  }
  if (!name) {
    die('--name is required');
  }
  if (!roles.length || roles.some((r) => !ROLES.includes(r))) {
    die(`--role must be one of ${ROLES.join(', ')}`);
  }
  if (!orgName) {
    die('--organisation is required');
  }
  if (!ORGANISATION_KINDS.includes(kind)) {
    die(`--organisation-kind must be one of ${ORGANISATION_KINDS.join(', ')}`);
  }
  let password = process.env.PRAKTIKNAV_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY) {
      die('Set PRAKTIKNAV_PASSWORD (no terminal to ask for a password)');
    }
    password = await askHidden('Password (at least 12 characters): ');
    const again = await askHidden('Repeat the password: ');
    if (again !== password) {
      die('The passwords differ');
    }
  }
  const problem = passwordProblem(password);
  if (problem) {
    die(`The password ${problem}`);
  }

  const { db } = await openCli();
  try {
    const passwordHash = await hashPassword(password);
    const result = await db.transaction(async (m) => {
      if (await m.getRepository(User).exists({ where: { email } })) {
        return { error: `A user with email ${email} already exists` };
      }
      let org = await m.getRepository(Organisation).findOne({ where: { name: orgName } });
      const createdOrg = !org;
      if (!org) {
        org = m
          .getRepository(Organisation)
          .create({ name: orgName, kind, municipalityCode: null, active: true });
        await m.getRepository(Organisation).save(org);
      }
      const user = m.getRepository(User).create({
        email,
        name,
        passwordHash,
        roles,
        organisationId: org.id,
        active: true,
        locale: 'sv',
        lastLoginAt: null,
      });
      await m.getRepository(User).save(user);
      await m.getRepository(AuditEvent).insert({
        id: newId(),
        actorType: 'system',
        actorLabel: 'npm run user:create',
        action: 'user.create',
        entity: 'user',
        entityId: user.id,
        detail: { email, roles, organisationId: org.id, createdOrganisation: createdOrg } as any,
      });
      return { user, org, createdOrg };
    });
    if ('error' in result) {
      process.stderr.write(`${result.error}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `Created ${roles.join('+')} ${email} in "${result.org.name}"${result.createdOrg ? ' (new organisation)' : ''}. Sign in at /login.\n`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((e) => {
  process.stderr.write(`user:create failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
