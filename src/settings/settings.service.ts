import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CONTACT_POLICY_DEFAULT_MIN_DAYS } from '../contacts/contact-policy';
import { AppSetting } from './app-setting.entity';

/** Settings with their defaults; a missing row means the default. */
export const SETTING_DEFAULTS = {
  'contact.minDaysBetweenContacts': CONTACT_POLICY_DEFAULT_MIN_DAYS,
  'contact.maxClaimDays': 14,
  /** Open slots wanted per employer sector (the local agreement's commitment), shown as "31 of 40". */
  'slots.targets': { municipal_department: 40 } as Record<string, number>,
  /** Days after which an open slot's supervisor is asked to confirm it again. */
  'slots.reconfirmAfterDays': 90,
  /** Days a supervisor's confirmation link stays valid. */
  'slots.linkValidDays': 14,
};
export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type Settings = { [K in SettingKey]: (typeof SETTING_DEFAULTS)[K] };

@Injectable()
export class SettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async all(m: EntityManager = this.db.manager): Promise<Settings> {
    const rows = await m.getRepository(AppSetting).find();
    const out: Record<string, unknown> = { ...SETTING_DEFAULTS };
    for (const r of rows) {
      if (r.key in SETTING_DEFAULTS) {
        out[r.key] = r.value;
      }
    }
    return out as Settings;
  }

  async get<K extends SettingKey>(
    key: K,
    m: EntityManager = this.db.manager,
  ): Promise<Settings[K]> {
    const row = await m.getRepository(AppSetting).findOne({ where: { key } });
    return (row ? row.value : SETTING_DEFAULTS[key]) as Settings[K];
  }

  async update(values: Partial<Settings>, userId: string): Promise<Settings> {
    await this.db.transaction(async (m) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) {
          continue;
        }
        await m.getRepository(AppSetting).save({ key, value, updatedByUserId: userId });
      }
      await this.audit.record(
        {
          action: 'settings.update',
          entity: 'app_setting',
          entityId: null,
          detail: values as Record<string, unknown>,
        },
        m,
      );
    });
    return this.all();
  }
}
