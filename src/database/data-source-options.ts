import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { SearchIndexCommitSubscriber } from '../employers/name-search';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming-strategy';

/** The one place that turns configuration into TypeORM options (app, CLI, tests). */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>): DataSourceOptions {
  return {
    // 'mariadb' avoids phantom JSON-column diffs on MariaDB (DESIGN §7); both use mysql2.
    type: config.database.type,
    connectorPackage: 'mysql2',
    url: config.database.url,
    charset: 'utf8mb4_swedish_ci',
    timezone: 'Z',
    // DATE columns (a slot's first day, a training date) are calendar dates, not instants.
    dateStrings: ['DATE'],
    connectTimeout: 5000,
    entities: ENTITIES,
    subscribers: [SearchIndexCommitSubscriber],
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: ['error'],
    extra: { connectionLimit: config.database.poolSize, stringifyObjects: true },
  } as DataSourceOptions;
}
