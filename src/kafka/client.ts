import kafkajs from 'kafkajs';
import type { Kafka, LogEntry, logCreator } from 'kafkajs';
import type { Logger } from '../logging.js';
import type { ConnectionOptions } from '../config/kafka.js';

const { Kafka: KafkaClient, logLevel } = kafkajs;

/**
 * kafkajs messages that are expected here and would only alarm operators: the idempotent producer
 * has finite retries on purpose (a failed publish fails the batch, which is retried; consumers
 * dedupe on ce_id). Per-request failures (namespace Connection) are retried by kafkajs and
 * summarised by the adapters, so they are debug too.
 */
const QUIET = [/^Limiting retries for the idempotent producer/];

/**
 * kafkajs's log lines go to pino, under `component: 'kafkajs'`. kafkajs logs every transient
 * connection problem at ERROR, while the adapters log what it means for the service (retrying,
 * not ready, recovered) themselves; so its ERROR becomes warn and its INFO becomes debug.
 */
export function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...rest } = log as LogEntry['log'] & { stack?: string };
      const fields = { namespace, ...rest };
      if (QUIET.some((re) => re.test(message)) || (namespace === 'Connection' && level <= logLevel.WARN)) child.debug(fields, message);
      else if (level === logLevel.ERROR || level === logLevel.WARN) child.warn(fields, message);
      else if (level === logLevel.INFO) child.debug(fields, message);
      else child.trace(fields, message);
    };
}

/** The kafkajs client of the service: one per process, shared by the consumer, producers and admin. */
export function createKafkaClient(options: ConnectionOptions, logger: Logger): Kafka {
  return new KafkaClient({
    ...options,
    logLevel: logLevel.DEBUG,
    logCreator: pinoLogCreator(logger),
    // Client-level retries for requests; the adapters add their own, unbounded ones around them.
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
  });
}
