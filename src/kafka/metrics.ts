import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The Kafka adapter's own instruments, on the service's registry. Labels are bounded: topic and
 * partition of the one mentions topic this instance is assigned.
 */
export class KafkaMetrics {
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly rebalances: Counter;
  readonly consumerCrashes: Counter<'restart'>;
  readonly batchRetries: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.consumerLag = new Gauge({
      name: 'stormwatch_kafka_consumer_lag',
      help: 'Records of the mentions topic not yet processed, per assigned partition (end offset minus next offset to process)',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.rebalances = new Counter({
      name: 'stormwatch_kafka_rebalances_total',
      help: 'Consumer group joins (start-up and every rebalance)',
      registers,
    });
    this.consumerCrashes = new Counter({
      name: 'stormwatch_kafka_consumer_crashes_total',
      help: 'Consumer crashes (broker unreachable past the retries, non-retriable errors); restart: whether it restarted itself',
      labelNames: ['restart'],
      registers,
    });
    this.batchRetries = new Counter({
      name: 'stormwatch_kafka_batch_retries_total',
      help: 'Batches retried because the sinks did not acknowledge them (the batch is never skipped)',
      registers,
    });
    this.rebalances.inc(0);
    this.batchRetries.inc(0);
  }
}
