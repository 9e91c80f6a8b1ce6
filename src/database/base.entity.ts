import { BeforeInsert, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDs generated in the app, so ids are portable across MariaDB and MySQL 8. */
export function newId(): string {
  return uuidv7();
}

export abstract class BaseEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @CreateDateColumn({ type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @UpdateDateColumn({
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) {
      this.id = newId();
    }
  }
}
