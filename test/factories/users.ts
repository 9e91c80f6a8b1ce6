import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/passwords';
import { Role } from '../../src/auth/roles';
import { Organisation, OrganisationKind } from '../../src/organisations/organisation.entity';
import { User } from '../../src/organisations/user.entity';

let seq = 0;
export const TEST_PASSWORD = 'test-password-123';
let cachedHash: Promise<string> | null = null;

export async function createOrganisation(
  db: DataSource,
  overrides: Partial<{ name: string; kind: OrganisationKind; active: boolean }> = {},
): Promise<Organisation> {
  seq++;
  const repo = db.getRepository(Organisation);
  return repo.save(
    repo.create({
      name: `Testorganisation ${seq}`,
      kind: 'municipality',
      municipalityCode: '1285',
      active: true,
      ...overrides,
    }),
  );
}

export async function createUser(
  db: DataSource,
  roles: Role[],
  overrides: Partial<{
    email: string;
    name: string;
    organisation: Organisation;
    active: boolean;
    password: string;
  }> = {},
): Promise<User & { password: string }> {
  seq++;
  const org = overrides.organisation ?? (await createOrganisation(db));
  const password = overrides.password ?? TEST_PASSWORD;
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = password === TEST_PASSWORD ? await cachedHash : await hashPassword(password);
  const repo = db.getRepository(User);
  const user = await repo.save(
    repo.create({
      email: overrides.email ?? `user${seq}.${Date.now()}@test.example`,
      name: overrides.name ?? `Test User ${seq}`,
      passwordHash,
      roles,
      organisationId: org.id,
      active: overrides.active ?? true,
      locale: 'sv',
      lastLoginAt: null,
    }),
  );
  user.organisation = org;
  return Object.assign(user, { password });
}
