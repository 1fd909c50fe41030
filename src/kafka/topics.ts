import type { Admin, ITopicConfig } from 'kafkajs';
import type { Logger } from '../logging.js';
import type { KafkaSection } from '../config/kafka.js';

export interface TopicSpec {
  topic: string;
  /** Created with these topic configs (for example `max.message.bytes`). */
  configEntries?: Record<string, string>;
}

export class MissingTopicsError extends Error {
  constructor(readonly topics: readonly string[]) {
    super(`topics do not exist and kafka.createTopics is false: ${topics.join(', ')}`);
    this.name = 'MissingTopicsError';
  }
}

/** The topics of the service, as `ensureTopics` creates them when they are missing. */
export function serviceTopics(kafka: KafkaSection): TopicSpec[] {
  return [
    { topic: kafka.mentionsTopic },
    { topic: kafka.alertsTopic },
    // A dead letter carries up to deadLetterMaxValueBytes of value plus headers.
    { topic: kafka.deadLettersTopic, configEntries: { 'max.message.bytes': String(Math.max(1024 * 1024 + 64 * 1024, kafka.deadLetterMaxValueBytes + 64 * 1024)) } },
    // Verdicts are few and the precision is computed from all of them: kept without a time limit.
    { topic: kafka.feedbackTopic, configEntries: { 'retention.ms': '-1' } },
  ];
}

/**
 * Checks that the topics exist and creates the missing ones (when allowed) with the configured
 * partitions and replication factor, waiting for their leaders. Existing topics are left as
 * they are. Resolves with the topics it created.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[], kafka: KafkaSection, logger: Logger): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) {
    logger.info({ topics: specs.map((s) => s.topic) }, 'Kafka topics exist');
    return [];
  }
  if (!kafka.createTopics) throw new MissingTopicsError(missing.map((s) => s.topic));
  const topics: ITopicConfig[] = missing.map((s) => ({
    topic: s.topic,
    numPartitions: kafka.partitions,
    replicationFactor: kafka.replicationFactor,
    configEntries: Object.entries(s.configEntries ?? {}).map(([name, value]) => ({ name, value })),
  }));
  // false: another instance created them in between, which is fine.
  await admin.createTopics({ topics, waitForLeaders: true, timeout: 30_000 });
  const created = missing.map((s) => s.topic);
  logger.info({ created, partitions: kafka.partitions, replicationFactor: kafka.replicationFactor }, 'created Kafka topics');
  return created;
}
