import kafkajs from 'kafkajs';
import type { Kafka, Producer } from 'kafkajs';
import { deadLetterRecord } from '../kafka/headers.js';
import { backoffMs, type KafkaSection } from '../config/kafka.js';
import type { Logger } from '../logging.js';
import { Sleeper } from '../util/sleeper.js';
import type { DeadLetter, DeadLetterSink } from '../ports.js';

const { CompressionTypes, Partitioners } = kafkajs;

export interface KafkaDeadLetterSinkOptions {
  kafka: Kafka;
  config: KafkaSection;
  logger: Logger;
}

/**
 * Rejected input records to the dead-letter topic, with their original key and bytes and
 * headers for reason, detail, source topic, partition and offset (src/kafka/headers.ts). Values
 * above `deadLetterMaxValueBytes` are truncated and marked. `write` resolves when the broker has
 * them (acks=-1): retriable failures (broker away) are retried until they succeed or the sink
 * closes, which holds the batch and so its commit; a non-retriable one (say, record too large
 * for the topic) rejects, and the service counts the letters as dropped.
 */
export class KafkaDeadLetterSink implements DeadLetterSink {
  readonly name = 'kafka-dead-letters';
  private readonly producer: Producer;
  private readonly logger: Logger;
  private readonly sleeper = new Sleeper();
  private connected = false;
  private healthy = true;
  private closing: Promise<void> | undefined;
  written = 0;

  constructor(private readonly options: KafkaDeadLetterSinkOptions) {
    this.logger = options.logger.child({ component: 'kafka-dead-letter-sink' });
    this.producer = options.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      maxInFlightRequests: 1,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 3 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const c = this.options.config;
    const messages = letters.map((letter) => deadLetterRecord(letter, c.deadLetterMaxValueBytes));
    for (let attempt = 0; ; attempt++) {
      if (this.closing !== undefined) throw new Error(`kafka dead-letter sink closed with ${letters.length} letter(s) unwritten`);
      try {
        if (!this.connected) {
          await this.producer.connect();
          this.connected = true;
        }
        await this.producer.send({
          topic: c.deadLettersTopic,
          acks: -1,
          compression: c.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
          messages,
        });
        if (!this.healthy) this.logger.info({ topic: c.deadLettersTopic }, 'writing dead letters works again');
        this.healthy = true;
        this.written += letters.length;
        return;
      } catch (error) {
        const retriable = !brokerRejected(error);
        this.healthy = false;
        if (!retriable) {
          this.logger.error({ err: error, letters: letters.length, topic: c.deadLettersTopic }, 'dead letters rejected by the broker; dropped');
          throw error;
        }
        const waitMs = backoffMs(attempt, c.batchRetryInitialMs, c.batchRetryMaxMs);
        if (attempt === 0 || attempt % 10 === 0) this.logger.warn({ err: error, letters: letters.length, attempt: attempt + 1, retryInMs: waitMs }, 'writing dead letters failed; retrying');
        await this.sleeper.sleep(waitMs);
      }
    }
  }

  isReady(): boolean {
    return this.healthy && this.closing === undefined;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.sleeper.wake();
      await this.producer.disconnect();
    })();
    return this.closing;
  }
}

/** A protocol error the broker will repeat (too large, not authorized), as opposed to being unreachable. */
function brokerRejected(error: unknown): boolean {
  let original = error as { cause?: unknown; name?: string; retriable?: boolean };
  while (original.cause !== undefined && original.cause !== null) original = original.cause as typeof original;
  return original.name === 'KafkaJSProtocolError' && original.retriable === false;
}
