import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { isFeedback, type Feedback } from '../events/feedback.js';
import type { KafkaSection } from '../config/kafka.js';
import { ensureTopics, serviceTopics } from '../kafka/topics.js';
import type { Logger } from '../logging.js';
import type { FeedbackLog } from './store.js';

/**
 * Feedback on the feedback topic (keyed by episode): produced with acks from all in-sync replicas,
 * and read by every instance from the beginning in a group of its own (nothing committed), so each
 * one counts all of it, its own included, after a restart too. The service creates the topic with
 * the others (src/kafka/topics.ts), kept without a time limit.
 */
export class KafkaFeedbackLog implements FeedbackLog {
  readonly name = 'feedback-topic';
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly logger: Logger;
  private running = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: { kafka: Kafka; config: KafkaSection; logger: Logger }) {
    this.logger = options.logger.child({ component: 'feedback-topic' });
    this.producer = options.kafka.producer({ allowAutoTopicCreation: false, idempotent: options.config.idempotent, maxInFlightRequests: 1 });
    this.consumer = options.kafka.consumer({ groupId: `${options.config.groupId}-feedback-${randomUUID()}`, maxWaitTimeInMs: options.config.maxWaitTimeMs });
  }

  async start(apply: (record: Feedback) => void): Promise<void> {
    const c = this.options.config;
    const topic = c.feedbackTopic;
    // The source creates it too, but may not have yet: reading it must not wait for mentions.
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, serviceTopics(c).filter((spec) => spec.topic === topic), c, this.logger);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        let value: unknown;
        try {
          value = JSON.parse(message.value?.toString('utf8') ?? '');
        } catch {
          value = undefined;
        }
        if (isFeedback(value)) apply(value);
        else this.logger.warn({ topic, offset: message.offset }, 'a record of the feedback topic is not feedback; skipped');
      },
    });
    this.running = true;
  }

  async append(record: Feedback): Promise<void> {
    if (this.closing !== undefined) throw new Error('feedback log is closed');
    await this.producer.send({ topic: this.options.config.feedbackTopic, acks: -1, messages: [{ key: record.episodeId, value: JSON.stringify(record) }] });
  }

  isReady(): boolean {
    return this.running && this.closing === undefined;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.consumer.disconnect().catch(() => undefined);
      await this.producer.disconnect().catch(() => undefined);
    })();
    return this.closing;
  }
}
