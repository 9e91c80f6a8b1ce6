import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchTokens } from '../src/employers/name-index';

export class EmployerSearchToken1795370323288 implements MigrationInterface {
  name = 'EmployerSearchToken1795370323288';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`employer_search_token\` (\`employer_id\` char(36) NOT NULL, \`token\` varchar(64) NOT NULL, INDEX \`ix_employer_search_token_token\` (\`token\`, \`employer_id\`), PRIMARY KEY (\`employer_id\`, \`token\`)) ENGINE=InnoDB`,
    );
    // Backfill the search words of employers that already exist.
    const rows: { id: string; normalized_name: string; normalized_unit_name: string }[] =
      await queryRunner.query(
        `SELECT id, normalized_name, normalized_unit_name FROM employer WHERE merged_into_id IS NULL`,
      );
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows
        .slice(i, i + 1000)
        .flatMap((r) =>
          searchTokens(r.normalized_name, r.normalized_unit_name).map((t) => [r.id, t]),
        );
      if (values.length) {
        await queryRunner.query(
          `INSERT IGNORE INTO \`employer_search_token\` (\`employer_id\`, \`token\`) VALUES ?`,
          [values],
        );
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`ix_employer_search_token_token\` ON \`employer_search_token\``,
    );
    await queryRunner.query(`DROP TABLE \`employer_search_token\``);
  }
}
