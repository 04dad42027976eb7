import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { createMetricsRegistry } from '@hindsight/server-ops';

@Injectable()
export class WorkerMetrics {
  readonly registry: Registry = createMetricsRegistry('worker');
  readonly jobDuration = new Histogram({
    name: 'hindsight_job_duration_seconds',
    help: 'Time spent processing a job',
    labelNames: ['queue', 'job'],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
    registers: [this.registry],
  });
  readonly sweepDuration = new Histogram({
    name: 'hindsight_chase_sweep_duration_seconds',
    help: 'Time of one chase sweep, from the first query until every new delivery is enqueued',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly deliveriesSent = new Counter({
    name: 'hindsight_deliveries_sent_total',
    help: 'Deliveries (nudges and digests) accepted by their receiver, by channel kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly deliveriesFailed = new Counter({
    name: 'hindsight_deliveries_failed_total',
    help: 'Failed delivery attempts by channel kind; final="true" when no retry is left',
    labelNames: ['kind', 'final'],
    registers: [this.registry],
  });
  readonly deliveriesSkipped = new Counter({
    name: 'hindsight_deliveries_skipped_total',
    help: 'Deliveries not sent because their subject went quiet (closed, published, snoozed, new due date)',
    registers: [this.registry],
  });
}
