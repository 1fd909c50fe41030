#!/usr/bin/env node
// Readiness probe for the local broker (used by scripts/kafka.sh): waits until a real Kafka client
// can connect and fetch cluster metadata (at least one live broker and a controller).
// Usage: node scripts/kafka/ready.mjs <host:port> <timeoutMs> [pid]
// Exit 0 when ready, 1 on timeout, 2 when the watched pid has exited, 3 when kafkajs is missing.
import process from 'node:process';

const [brokerArg, timeoutArg = '60000', pidArg] = process.argv.slice(2);
if (!brokerArg) {
  console.error('usage: ready.mjs <host:port> <timeoutMs> [pid]');
  process.exit(64);
}
const timeoutMs = Number(timeoutArg);
const pid = pidArg ? Number(pidArg) : undefined;

let kafkajs;
try {
  kafkajs = await import('kafkajs');
} catch {
  console.error('kafka ready check: cannot load kafkajs (run `npm ci` first)');
  process.exit(3);
}
const { Kafka, logLevel } = kafkajs.default ?? kafkajs;

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const deadline = Date.now() + timeoutMs;
let lastError = 'no attempt made';

while (Date.now() < deadline) {
  if (pid !== undefined && !alive(pid)) {
    console.error(`kafka ready check: broker process ${pid} exited`);
    process.exit(2);
  }
  const kafka = new Kafka({
    clientId: 'stormwatch-kafka-ready',
    brokers: [brokerArg],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller >= 0) {
      await admin.disconnect();
      process.exit(0);
    }
    lastError = `metadata without live brokers/controller: ${JSON.stringify(cluster)}`;
  } catch (err) {
    lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  await admin.disconnect().catch(() => {});
  await sleep(250);
}
console.error(`kafka ready check: ${brokerArg} not ready after ${timeoutMs} ms (last error: ${lastError})`);
process.exit(1);
