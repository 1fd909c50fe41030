import kafkajs from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import type { ClassificationEvent } from '../events/classification.js';
import { chunkBySize } from '../kafka/chunks.js';
import { alertHeaders } from '../kafka/headers.js';
import { backoffMs, type KafkaSection } from '../config/kafka.js';
import type { Logger } from '../logging.js';
import type { EventSink } from '../ports.js';

const { CompressionTypes, Partitioners } = kafkajs;

// Half the broker's default max.message.bytes (1 MiB): one request per run of events this size,
// so a flush of thousands of events is never refused as one oversized record batch.
const MAX_REQUEST_BYTES = 512 * 1024;

export interface KafkaAlertSinkOptions {
  kafka: Kafka;
  config: KafkaSection;
  logger: Logger;
}

/**
 * Classification events to the alert topic: keyed by brand key (so one key's events stay in
 * order on one partition), the event as JSON, CloudEvents binary-mode headers. `publish`
 * resolves once all in-sync replicas have the records (acks=-1); the idempotent producer
 * (one request in flight) neither duplicates nor reorders on its own retries. A failure rejects,
 * and the source retries its batch; consumers dedupe the remaining duplicates on `ce_id`.
 */
export class KafkaAlertSink implements EventSink {
  readonly name = 'kafka-alerts';
  private readonly producer: Producer;
  private readonly logger: Logger;
  private connecting: Promise<void> | undefined;
  private connected = false;
  private healthy = true;
  private closing: Promise<void> | undefined;
  published = 0;

  constructor(private readonly options: KafkaAlertSinkOptions) {
    const c = options.config;
    this.logger = options.logger.child({ component: 'kafka-alert-sink' });
    this.producer = options.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: c.idempotent,
      // Idempotence needs one request in flight; without it, one in flight still keeps the order.
      maxInFlightRequests: 1,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 5 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  /** Connects (once; again after a failure). Called by publish; call it early to be ready sooner. */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.producer
      .connect()
      .then(() => {
        this.connected = true;
        this.logger.info({ topic: this.options.config.alertsTopic, idempotent: this.options.config.idempotent }, 'alert producer connected');
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  /** Connects in the background, retrying with backoff until connected or closed (readiness). */
  start(): void {
    const attempt = (n: number): void => {
      if (this.closing !== undefined || this.connected) return;
      this.connect().catch((error: unknown) => {
        const waitMs = backoffMs(n, 1000, 30_000);
        this.logger.warn({ err: error, retryInMs: waitMs }, 'alert producer cannot connect; retrying');
        setTimeout(() => attempt(n + 1), waitMs).unref();
      });
    };
    attempt(0);
  }

  async publish(events: readonly ClassificationEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (this.closing !== undefined) throw new Error('kafka alert sink is closed');
    const c = this.options.config;
    try {
      await this.connect();
      const messages = events.map((event) => ({
        key: event.key,
        value: JSON.stringify(event),
        headers: alertHeaders(event, c.eventSource),
        timestamp: String(Date.parse(event.emittedAt) || Date.now()),
      }));
      // In order, one request at a time: a key's events keep their order across requests.
      for (const chunk of chunkBySize(messages, (m) => m.value.length + m.key.length + 512, MAX_REQUEST_BYTES)) {
        await this.producer.send({
          topic: c.alertsTopic,
          acks: -1,
          compression: c.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
          messages: chunk,
        });
      }
    } catch (error) {
      if (this.healthy) this.logger.error({ err: error, events: events.length, topic: c.alertsTopic }, 'publishing alerts failed; the batch will be retried');
      this.healthy = false;
      throw error;
    }
    if (!this.healthy) this.logger.info({ topic: c.alertsTopic }, 'publishing alerts works again');
    this.healthy = true;
    this.published += events.length;
  }

  isReady(): boolean {
    return this.connected && this.healthy && this.closing === undefined;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.connecting?.catch(() => undefined);
      await this.producer.disconnect();
    })();
    return this.closing;
  }
}
