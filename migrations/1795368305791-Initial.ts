import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795368305791 implements MigrationInterface {
  name = 'Initial1795368305791';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`audit_event\` (\`id\` char(36) NOT NULL, \`at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`actor_type\` enum ('user', 'api_token', 'supervisor_token', 'system', 'anonymous') NOT NULL, \`actor_user_id\` char(36) NULL, \`actor_organisation_id\` char(36) NULL, \`actor_label\` varchar(255) NULL, \`action\` varchar(100) NOT NULL, \`entity\` varchar(100) NULL, \`entity_id\` varchar(64) NULL, \`ip\` varchar(45) NULL, \`request_id\` varchar(64) NULL, \`detail\` json NULL, INDEX \`ix_audit_event_at\` (\`at\`), INDEX \`ix_audit_event_action\` (\`action\`, \`at\`), INDEX \`ix_audit_event_actor\` (\`actor_user_id\`, \`at\`), INDEX \`ix_audit_event_entity\` (\`entity\`, \`entity_id\`, \`at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`organisation\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`name\` varchar(200) NOT NULL, \`kind\` enum ('employment_service', 'municipality', 'region', 'civil_society', 'other') NOT NULL, \`municipality_code\` char(4) NULL, \`active\` tinyint NOT NULL DEFAULT 1, UNIQUE INDEX \`uq_organisation_name\` (\`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`user\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`email\` varchar(254) NOT NULL, \`name\` varchar(200) NOT NULL, \`password_hash\` varchar(255) NOT NULL, \`roles\` set ('admin', 'recruiter', 'coordinator', 'supervisor') NOT NULL, \`organisation_id\` char(36) NOT NULL, \`active\` tinyint NOT NULL DEFAULT 1, \`locale\` enum ('sv', 'en') NOT NULL DEFAULT 'sv', \`last_login_at\` datetime(3) NULL, UNIQUE INDEX \`uq_user_email\` (\`email\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`api_token\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`user_id\` char(36) NOT NULL, \`name\` varchar(100) NOT NULL, \`prefix\` varchar(12) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime(3) NULL, \`last_used_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, UNIQUE INDEX \`uq_api_token_hash\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`user\` ADD CONSTRAINT \`fk_user_organisation\` FOREIGN KEY (\`organisation_id\`) REFERENCES \`organisation\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`api_token\` ADD CONSTRAINT \`fk_api_token_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`user\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_token\` DROP FOREIGN KEY \`fk_api_token_user\``);
    await queryRunner.query(`ALTER TABLE \`user\` DROP FOREIGN KEY \`fk_user_organisation\``);
    await queryRunner.query(`DROP INDEX \`uq_api_token_hash\` ON \`api_token\``);
    await queryRunner.query(`DROP TABLE \`api_token\``);
    await queryRunner.query(`DROP INDEX \`uq_user_email\` ON \`user\``);
    await queryRunner.query(`DROP TABLE \`user\``);
    await queryRunner.query(`DROP INDEX \`uq_organisation_name\` ON \`organisation\``);
    await queryRunner.query(`DROP TABLE \`organisation\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_event_entity\` ON \`audit_event\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_event_actor\` ON \`audit_event\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_event_action\` ON \`audit_event\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_event_at\` ON \`audit_event\``);
    await queryRunner.query(`DROP TABLE \`audit_event\``);
  }
}
