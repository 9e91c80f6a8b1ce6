import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmployerImport1795369749212 implements MigrationInterface {
  name = 'EmployerImport1795369749212';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`employer_import\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`user_id\` char(36) NOT NULL, \`organisation_id\` char(36) NOT NULL, \`filename\` varchar(255) NULL, \`dry_run\` tinyint NOT NULL, \`status\` enum ('running', 'done', 'failed') NOT NULL DEFAULT 'running', \`total_rows\` int NOT NULL DEFAULT '0', \`new_rows\` int NOT NULL DEFAULT '0', \`created_rows\` int NOT NULL DEFAULT '0', \`duplicate_rows\` int NOT NULL DEFAULT '0', \`invalid_rows\` int NOT NULL DEFAULT '0', \`header\` json NULL, \`error\` varchar(1000) NULL, \`finished_at\` datetime(3) NULL, INDEX \`ix_employer_import_user\` (\`user_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`employer_import_row\` (\`import_id\` char(36) NOT NULL, \`line\` int NOT NULL, \`status\` enum ('new', 'created', 'duplicate', 'invalid') NOT NULL, \`name\` varchar(200) NULL, \`employer_id\` char(36) NULL, \`duplicate_of_line\` int NULL, \`reason\` varchar(40) NULL, \`errors\` json NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`ix_employer_import_row_status\` (\`import_id\`, \`status\`, \`line\`), PRIMARY KEY (\`import_id\`, \`line\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP INDEX \`ix_employer_import_row_status\` ON \`employer_import_row\``,
    );
    await queryRunner.query(`DROP TABLE \`employer_import_row\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_import_user\` ON \`employer_import\``);
    await queryRunner.query(`DROP TABLE \`employer_import\``);
  }
}
