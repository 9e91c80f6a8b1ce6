import { MigrationInterface, QueryRunner } from 'typeorm';

export class SearchTokenSortIndex1795372239961 implements MigrationInterface {
  name = 'SearchTokenSortIndex1795372239961';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`ix_employer_search_token_token\` ON \`employer_search_token\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`employer_search_token\` ADD \`sort_name\` varchar(200) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE \`employer_search_token\` ADD \`archived\` tinyint NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_search_token_sorted\` ON \`employer_search_token\` (\`token\`, \`archived\`, \`sort_name\`, \`employer_id\`)`,
    );
    // Backfill: the sort name and archived flag of the employers already indexed.
    await queryRunner.query(
      `UPDATE \`employer_search_token\` st JOIN \`employer\` e ON e.id = st.employer_id SET st.sort_name = e.normalized_name, st.archived = (e.archived_at IS NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`ix_employer_search_token_sorted\` ON \`employer_search_token\``,
    );
    await queryRunner.query(`ALTER TABLE \`employer_search_token\` DROP COLUMN \`archived\``);
    await queryRunner.query(`ALTER TABLE \`employer_search_token\` DROP COLUMN \`sort_name\``);
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_search_token_token\` ON \`employer_search_token\` (\`token\`, \`employer_id\`)`,
    );
  }
}
