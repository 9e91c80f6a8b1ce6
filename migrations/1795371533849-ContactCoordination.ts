import { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactCoordination1795371533849 implements MigrationInterface {
  name = 'ContactCoordination1795371533849';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`contact_event\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`employer_id\` char(36) NOT NULL, \`contact_person_id\` char(36) NULL, \`organisation_id\` char(36) NOT NULL, \`user_id\` char(36) NULL, \`channel\` enum ('phone', 'email', 'visit', 'meeting', 'other') NOT NULL, \`purpose\` enum ('internship', 'recruitment', 'trainee_job', 'education_contract', 'work_training', 'follow_up', 'other') NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`outcome\` varchar(500) NULL, \`note\` text NULL, \`next_step_at\` datetime(3) NULL, \`next_step_done_at\` datetime(3) NULL, \`claim_id\` char(36) NULL, \`policy_breach\` tinyint NOT NULL DEFAULT 0, \`breach_reason\` enum ('DO_NOT_CONTACT', 'CLAIMED_BY_OTHER', 'COOL_OFF') NULL, \`mail_outbox_id\` char(36) NULL, INDEX \`ix_contact_event_occurred\` (\`occurred_at\`), INDEX \`ix_contact_event_org_next\` (\`organisation_id\`, \`next_step_at\`), INDEX \`ix_contact_event_user_next\` (\`user_id\`, \`next_step_at\`), INDEX \`ix_contact_event_employer\` (\`employer_id\`, \`occurred_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`contact_claim\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`employer_id\` char(36) NOT NULL, \`organisation_id\` char(36) NOT NULL, \`user_id\` char(36) NOT NULL, \`purpose\` enum ('internship', 'recruitment', 'trainee_job', 'education_contract', 'work_training', 'follow_up', 'other') NOT NULL, \`valid_until\` datetime(3) NOT NULL, \`status\` enum ('active', 'used', 'released', 'expired') NOT NULL DEFAULT 'active', \`ended_at\` datetime(3) NULL, INDEX \`ix_contact_claim_status\` (\`status\`, \`valid_until\`), INDEX \`ix_contact_claim_employer\` (\`employer_id\`, \`status\`, \`valid_until\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`contact_refusal\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`employer_id\` char(36) NOT NULL, \`organisation_id\` char(36) NOT NULL, \`user_id\` char(36) NULL, \`purpose\` enum ('internship', 'recruitment', 'trainee_job', 'education_contract', 'work_training', 'follow_up', 'other') NOT NULL, \`reason\` enum ('DO_NOT_CONTACT', 'CLAIMED_BY_OTHER', 'COOL_OFF') NOT NULL, \`holder_organisation_id\` char(36) NULL, INDEX \`ix_contact_refusal_at\` (\`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`app_setting\` (\`key\` varchar(100) NOT NULL, \`value\` json NOT NULL, \`updated_by_user_id\` char(36) NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_event\` ADD CONSTRAINT \`fk_contact_event_organisation\` FOREIGN KEY (\`organisation_id\`) REFERENCES \`organisation\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_event\` ADD CONSTRAINT \`fk_contact_event_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`user\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_claim\` ADD CONSTRAINT \`fk_contact_claim_organisation\` FOREIGN KEY (\`organisation_id\`) REFERENCES \`organisation\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_claim\` ADD CONSTRAINT \`fk_contact_claim_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`user\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`contact_claim\` DROP FOREIGN KEY \`fk_contact_claim_user\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_claim\` DROP FOREIGN KEY \`fk_contact_claim_organisation\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_event\` DROP FOREIGN KEY \`fk_contact_event_user\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_event\` DROP FOREIGN KEY \`fk_contact_event_organisation\``,
    );
    await queryRunner.query(`DROP TABLE \`app_setting\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_refusal_at\` ON \`contact_refusal\``);
    await queryRunner.query(`DROP TABLE \`contact_refusal\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_claim_employer\` ON \`contact_claim\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_claim_status\` ON \`contact_claim\``);
    await queryRunner.query(`DROP TABLE \`contact_claim\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_event_employer\` ON \`contact_event\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_event_user_next\` ON \`contact_event\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_event_org_next\` ON \`contact_event\``);
    await queryRunner.query(`DROP INDEX \`ix_contact_event_occurred\` ON \`contact_event\``);
    await queryRunner.query(`DROP TABLE \`contact_event\``);
  }
}
