import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmployerRegister1795368998755 implements MigrationInterface {
  name = 'EmployerRegister1795368998755';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`employer\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`name\` varchar(200) NOT NULL, \`normalized_name\` varchar(200) NOT NULL, \`org_number\` char(10) NULL, \`org_number_is_personnummer\` tinyint NOT NULL DEFAULT 0, \`unit_name\` varchar(200) NULL, \`normalized_unit_name\` varchar(200) NOT NULL DEFAULT '', \`sector\` enum ('private', 'municipal_department', 'municipal_company', 'region', 'state', 'social_enterprise', 'association') NOT NULL, \`industry\` varchar(10) NULL, \`size_class\` enum ('0', '1-9', '10-49', '50-249', '250+') NULL, \`segments\` set ('shortage_occupation', 'welfare_trainee_jobs', 'small_business', 'social_enterprise', 'iop_partner') NOT NULL DEFAULT '', \`municipality\` char(4) NULL, \`address\` varchar(300) NULL, \`website\` varchar(300) NULL, \`owner_user_id\` char(36) NULL, \`status\` enum ('prospect', 'active', 'paused', 'do_not_contact') NOT NULL DEFAULT 'prospect', \`min_days_between_contacts\` smallint NULL, \`preferred_channel\` enum ('phone', 'email', 'visit', 'meeting', 'other') NULL, \`do_not_contact_reason\` varchar(500) NULL, \`do_not_contact_until\` datetime(3) NULL, \`merged_into_id\` char(36) NULL, \`archived_at\` datetime(3) NULL, INDEX \`ix_employer_normalized_name\` (\`normalized_name\`), INDEX \`ix_employer_owner\` (\`owner_user_id\`), INDEX \`ix_employer_merged_into\` (\`merged_into_id\`), INDEX \`ix_employer_sector_name\` (\`sector\`, \`normalized_name\`), INDEX \`ix_employer_municipality_status\` (\`municipality\`, \`status\`), UNIQUE INDEX \`uq_employer_org_unit\` (\`org_number\`, \`normalized_unit_name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`employer_name_key\` (\`employer_id\` char(36) NOT NULL, \`key\` varchar(64) NOT NULL, INDEX \`ix_employer_name_key_key\` (\`key\`, \`employer_id\`), PRIMARY KEY (\`employer_id\`, \`key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`employer_not_duplicate\` (\`employer_a_id\` char(36) NOT NULL, \`employer_b_id\` char(36) NOT NULL, \`decided_by_user_id\` char(36) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`employer_a_id\`, \`employer_b_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`contact_person\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`employer_id\` char(36) NOT NULL, \`name\` varchar(200) NOT NULL, \`title\` varchar(200) NULL, \`email\` varchar(254) NULL, \`phone\` varchar(40) NULL, \`is_primary\` tinyint NOT NULL DEFAULT 0, \`email_opt_out\` tinyint NOT NULL DEFAULT 0, INDEX \`ix_contact_person_email\` (\`email\`), INDEX \`ix_contact_person_employer\` (\`employer_id\`, \`is_primary\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`employer\` ADD CONSTRAINT \`fk_employer_owner\` FOREIGN KEY (\`owner_user_id\`) REFERENCES \`user\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_person\` ADD CONSTRAINT \`fk_contact_person_employer\` FOREIGN KEY (\`employer_id\`) REFERENCES \`employer\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`contact_person\` DROP FOREIGN KEY \`fk_contact_person_employer\``,
    );
    await queryRunner.query(`ALTER TABLE \`employer\` DROP FOREIGN KEY \`fk_employer_owner\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_person_employer\` ON \`contact_person\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_person_email\` ON \`contact_person\``);
    await queryRunner.query(`DROP TABLE \`contact_person\``);
    await queryRunner.query(`DROP TABLE \`employer_not_duplicate\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_name_key_key\` ON \`employer_name_key\``);
    await queryRunner.query(`DROP TABLE \`employer_name_key\``);
    await queryRunner.query(`DROP INDEX \`uq_employer_org_unit\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_municipality_status\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_sector_name\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_merged_into\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_owner\` ON \`employer\``);
    await queryRunner.query(`DROP INDEX \`ix_employer_normalized_name\` ON \`employer\``);
    await queryRunner.query(`DROP TABLE \`employer\``);
  }
}
