import { MigrationInterface, QueryRunner } from 'typeorm';

export class MailOutbox1795372445514 implements MigrationInterface {
  name = 'MailOutbox1795372445514';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`mail_outbox\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`dedup_key\` varchar(191) NOT NULL, \`recipient\` varchar(254) NOT NULL, \`recipient_name\` varchar(200) NULL, \`template\` varchar(64) NOT NULL, \`locale\` enum ('sv', 'en') NOT NULL DEFAULT 'sv', \`payload\` json NOT NULL, \`category\` enum ('transactional', 'outreach', 'internal') NOT NULL, \`purpose\` enum ('internship', 'recruitment', 'trainee_job', 'education_contract', 'work_training', 'follow_up', 'other') NOT NULL DEFAULT 'other', \`on_behalf_of_id\` char(36) NOT NULL, \`employer_id\` char(36) NULL, \`contact_person_id\` char(36) NULL, \`not_before\` datetime(3) NOT NULL, \`status\` enum ('pending', 'queued', 'sending', 'sent', 'suppressed', 'failed', 'needs_review') NOT NULL DEFAULT 'pending', \`attempts\` smallint NOT NULL DEFAULT '0', \`last_error\` varchar(1000) NULL, \`suppressed_reason\` varchar(500) NULL, \`decision_note\` varchar(500) NULL, \`decided_at\` datetime(3) NULL, \`sending_started_at\` datetime(3) NULL, \`sent_at\` datetime(3) NULL, \`message_id\` varchar(255) NULL, \`smtp_response\` varchar(500) NULL, \`digest_id\` char(36) NULL, INDEX \`ix_mail_outbox_template\` (\`template\`, \`created_at\`), INDEX \`ix_mail_outbox_created\` (\`created_at\`), INDEX \`ix_mail_outbox_digest\` (\`digest_id\`), INDEX \`ix_mail_outbox_employer\` (\`employer_id\`, \`status\`), INDEX \`ix_mail_outbox_recipient\` (\`recipient\`, \`status\`, \`not_before\`), INDEX \`ix_mail_outbox_status_not_before\` (\`status\`, \`not_before\`), UNIQUE INDEX \`uq_mail_outbox_dedup_key\` (\`dedup_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`mail_opt_out\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`token_hash\` char(64) NOT NULL, \`contact_person_id\` char(36) NOT NULL, \`employer_id\` char(36) NOT NULL, \`outbox_id\` char(36) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, INDEX \`ix_mail_opt_out_contact_person\` (\`contact_person_id\`), UNIQUE INDEX \`uq_mail_opt_out_token_hash\` (\`token_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`mail_outbox\` ADD CONSTRAINT \`fk_mail_outbox_on_behalf_of\` FOREIGN KEY (\`on_behalf_of_id\`) REFERENCES \`organisation\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`mail_outbox\` DROP FOREIGN KEY \`fk_mail_outbox_on_behalf_of\``,
    );
    await queryRunner.query(`DROP INDEX \`uq_mail_opt_out_token_hash\` ON \`mail_opt_out\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_opt_out_contact_person\` ON \`mail_opt_out\``);
    await queryRunner.query(`DROP TABLE \`mail_opt_out\``);
    await queryRunner.query(`DROP INDEX \`uq_mail_outbox_dedup_key\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_status_not_before\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_recipient\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_employer\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_digest\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_created\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP INDEX \`ix_mail_outbox_template\` ON \`mail_outbox\``);
    await queryRunner.query(`DROP TABLE \`mail_outbox\``);
  }
}
