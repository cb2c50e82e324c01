import { Injectable } from '@nestjs/common';
import { Metrics } from '@traceport/observability';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The service's PostgreSQL connection pool as Prometheus gauges, read when scraped: connections
 * open and idle, and requests waiting for one (the first sign the pool is too small).
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(dataSource: DataSource, metrics: Metrics) {
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'traceport_db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting requests)',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect() {
        const current = pool();
        if (current === undefined) return;
        this.set({ state: 'total' }, current.totalCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
  }
}
