import { MigrationInterface, QueryRunner } from 'typeorm';

export class InternshipSlots1795372028637 implements MigrationInterface {
  name = 'InternshipSlots1795372028637';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`action_token\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`purpose\` enum ('confirm_slot', 'answer_placement', 'report_deviation', 'email_opt_out') NOT NULL, \`subject_id\` char(36) NOT NULL, \`token_hash\` char(64) NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`used_at\` datetime(3) NULL, \`recipient_id\` char(36) NULL, UNIQUE INDEX \`uq_action_token_hash\` (\`token_hash\`), INDEX \`ix_action_token_subject\` (\`purpose\`, \`subject_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`internship_slot\` (\`id\` char(36) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`employer_id\` char(36) NOT NULL, \`title\` varchar(200) NOT NULL, \`occupation_field\` varchar(100) NOT NULL, \`ssyk\` char(4) NULL, \`tasks\` json NOT NULL, \`capacity\` smallint NOT NULL, \`hours_per_week\` tinyint NOT NULL, \`municipality\` char(4) NOT NULL, \`address\` varchar(300) NULL, \`available_from\` date NOT NULL, \`available_to\` date NULL, \`max_weeks\` tinyint NOT NULL, \`requirements\` json NOT NULL, \`adaptations\` set ('accessible_workplace', 'low_threshold', 'flexible_hours', 'language_support', 'quiet_workplace') NOT NULL DEFAULT '', \`supervisor_id\` char(36) NOT NULL, \`status\` enum ('draft', 'awaiting_confirmation', 'open', 'full', 'paused', 'closed') NOT NULL DEFAULT 'draft', \`owner_user_id\` char(36) NULL, \`last_confirmed_at\` datetime(3) NULL, \`decline_reason\` varchar(500) NULL, INDEX \`ix_internship_slot_occupation\` (\`occupation_field\`), INDEX \`ix_internship_slot_confirmed\` (\`status\`, \`last_confirmed_at\`), INDEX \`ix_internship_slot_employer\` (\`employer_id\`, \`status\`), INDEX \`ix_internship_slot_status\` (\`status\`, \`municipality\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`contact_person\` ADD \`supervisor_trained_at\` date NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE \`internship_slot\` ADD CONSTRAINT \`fk_internship_slot_employer\` FOREIGN KEY (\`employer_id\`) REFERENCES \`employer\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE \`internship_slot\` ADD CONSTRAINT \`fk_internship_slot_supervisor\` FOREIGN KEY (\`supervisor_id\`) REFERENCES \`contact_person\`(\`id\`) ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`internship_slot\` DROP FOREIGN KEY \`fk_internship_slot_supervisor\``,
    );
    await queryRunner.query(
      `ALTER TABLE \`internship_slot\` DROP FOREIGN KEY \`fk_internship_slot_employer\``,
    );
    await queryRunner.query(`ALTER TABLE \`contact_person\` DROP COLUMN \`supervisor_trained_at\``);
    await queryRunner.query(`DROP INDEX \`ix_internship_slot_status\` ON \`internship_slot\``);
    await queryRunner.query(`DROP INDEX \`ix_internship_slot_employer\` ON \`internship_slot\``);
    await queryRunner.query(`DROP INDEX \`ix_internship_slot_confirmed\` ON \`internship_slot\``);
    await queryRunner.query(`DROP INDEX \`ix_internship_slot_occupation\` ON \`internship_slot\``);
    await queryRunner.query(`DROP TABLE \`internship_slot\``);
    await queryRunner.query(`DROP INDEX \`ix_action_token_subject\` ON \`action_token\``);
    await queryRunner.query(`DROP INDEX \`uq_action_token_hash\` ON \`action_token\``);
    await queryRunner.query(`DROP TABLE \`action_token\``);
  }
}
