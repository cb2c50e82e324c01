import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureSchema, pingDatabase, serviceDataSourceOptions, type ServiceDataSourceOptions } from './data-source.factory.js';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import type { ReadinessCheckLike } from './readiness.js';

/** Readiness check for the service's database. */
export class DatabaseReadiness implements ReadinessCheckLike {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  check(): Promise<void> {
    return pingDatabase(this.dataSource);
  }
}

/**
 * TypeORM for one service: its own schema, created if missing, and its migrations applied at
 * start-up before anything else touches the tables.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: ServiceDataSourceOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions(options),
          dataSourceFactory: async (dataSourceOptions) => {
            if (dataSourceOptions === undefined) throw new Error('no data source options');
            await ensureSchema(options.url, options.schema);
            const dataSource = await new DataSource(dataSourceOptions).initialize();
            await dataSource.runMigrations({ transaction: 'each' });
            return dataSource;
          },
        }),
      ],
      providers: [{ provide: DatabaseReadiness, inject: [DataSource], useFactory: (ds: DataSource) => new DatabaseReadiness(ds) }, DatabasePoolMetrics],
      exports: [DatabaseReadiness],
    };
  }
}
