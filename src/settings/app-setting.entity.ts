import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Admin settings that apply to everyone (e.g. the global cool-off), one row per key. */
@Entity('app_setting')
export class AppSetting {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'json' })
  value: unknown;

  @Column({ type: 'char', length: 36, nullable: true })
  updatedByUserId: string | null;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;
}
