import { MigrationInterface, QueryRunner } from 'typeorm';

export class SearchWordsUnit1795377982185 implements MigrationInterface {
  name = 'SearchWordsUnit1795377982185';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`ix_employer_search_token_sorted\` ON \`employer_search_token\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`employer_search_token\` ADD \`sort_unit\` varchar(200) NOT NULL DEFAULT ''`,
    );
    // The unit rides along in the index so the other words of a search are matched there.
    await queryRunner.query(
      `UPDATE \`employer_search_token\` st JOIN \`employer\` e ON e.id = st.employer_id SET st.sort_unit = e.normalized_unit_name WHERE e.normalized_unit_name <> ''`,
    );
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_search_words\` ON \`employer_search_token\` (\`token\`, \`archived\`, \`sort_name\`, \`employer_id\`, \`sort_unit\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_employer_search_words\` ON \`employer_search_token\``);
    await queryRunner.query(`ALTER TABLE \`employer_search_token\` DROP COLUMN \`sort_unit\``);
    await queryRunner.query(
      `CREATE INDEX \`ix_employer_search_token_sorted\` ON \`employer_search_token\` (\`token\`, \`archived\`, \`sort_name\`, \`employer_id\`)`,
    );
  }
}
