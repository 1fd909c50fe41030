#!/usr/bin/env node
// Demo producer for the compose stack: plays the built-in simulator (daily rhythm, a storm, a
// drizzle, a surge, a bot burst, …) into the mentions topic, keyed by brand key, at
// `simulator.speedup` × real time, with a small share of broken records so the dead-letter path
// has something to show. Reads the same configuration as the service (config/default.json,
// STORMWATCH_CONFIG, STORMWATCH_<SECTION>_<NAME>): kafka.brokers, kafka.mentionsTopic, the
// simulator section. Run the service with STORMWATCH_KAFKA_CLOCK=records, since event time runs
// ahead of the wall clock.
//
//   node scripts/demo-producer.mjs            (after npm run build; the image has dist/ built)
//   DEMO_BAD_RECORD_SHARE=0.01 node scripts/demo-producer.mjs
import { loadConfig } from '../dist/src/config/load.js';
import { createKafkaClient } from '../dist/src/kafka/client.js';
import { connectionOptions } from '../dist/src/config/kafka.js';
import { ensureTopics, serviceTopics } from '../dist/src/kafka/topics.js';
import { createLogger } from '../dist/src/logging.js';
import { corruptMention, createSimulator, Rng } from '../dist/src/sources/simulator/index.js';
import { SimulatorSource } from '../dist/src/sources/simulator-source.js';

const config = loadConfig();
const logger = createLogger(config).child({ component: 'demo-producer' });
if (config.kafka.brokers.length === 0) {
  process.stderr.write('demo-producer: set STORMWATCH_KAFKA_BROKERS (host:port,…)\n');
  process.exit(2);
}
const badShare = Number(process.env.DEMO_BAD_RECORD_SHARE ?? '0.002');
const topic = config.kafka.mentionsTopic;

const kafka = createKafkaClient(connectionOptions(config.kafka), logger);
// The service creates its topics too; whichever comes first, the partitions are the configured ones.
const admin = kafka.admin();
for (let attempt = 1; ; attempt++) {
  try {
    await admin.connect();
    await ensureTopics(admin, serviceTopics(config.kafka), config.kafka, logger);
    break;
  } catch (error) {
    if (attempt >= 30) throw error;
    logger.warn({ err: error, attempt }, 'Kafka not reachable yet; retrying in 2 s');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
await admin.disconnect();

const producer = kafka.producer({ allowAutoTopicCreation: false });
await producer.connect();

const { speedup, ...simulatorConfig } = config.simulator;
const simulator = createSimulator(simulatorConfig);
const rng = new Rng(simulator.config.seed, 99);
let sent = 0;
let bad = 0;
const source = new SimulatorSource(simulator, {
  speedup,
  batchIntervalMs: config.source.batchIntervalMs,
  maxBatchRecords: config.source.maxBatchRecords,
  onBatchError: (error, records) => logger.warn({ err: error, records }, 'send failed; retrying the batch'),
});
await source.start(async (batch) => {
  const messages = batch.map((record) => {
    const mention = JSON.parse(String(record.value));
    if (rng.next() < badShare) {
      bad++;
      return { key: mention.key, value: corruptMention(mention, rng).line };
    }
    return { key: mention.key, value: record.value };
  });
  await producer.send({ topic, messages });
  sent += messages.length;
});
logger.info(
  { topic, speedup, brands: simulator.config.brands.length, incidents: simulator.scheduledIncidents().map((i) => ({ kind: i.kind, key: i.key, startsInWallSeconds: Math.round((i.startMs - simulator.config.startMs) / speedup / 1000) })) },
  'producing simulated mentions',
);
const progress = setInterval(() => logger.info({ sent, bad, eventTime: new Date(source.now()).toISOString() }, 'demo producer progress'), 30_000);

let stopping = false;
async function stop(signal) {
  if (stopping) process.exit(130);
  stopping = true;
  clearInterval(progress);
  logger.info({ signal, sent, bad }, 'stopping');
  await source.stop();
  await producer.disconnect();
  logger.flush?.();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
