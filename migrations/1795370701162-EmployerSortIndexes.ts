import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmployerSortIndexes1795370701162 implements MigrationInterface {
  name = 'EmployerSortIndexes1795370701162';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_updated_at\` ON \`employer\` (\`updated_at\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_created_at\` ON \`employer\` (\`created_at\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_employer_created_at\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_updated_at\` ON \`employer\``);
  }
}
