#!/usr/bin/env node
// The test command: unit and scenario tests (pure, no broker), then integration tests against a
// real local Kafka broker that this script starts (scripts/kafka.sh) and stops again. A broker
// already given in STORMWATCH_TEST_BROKERS is used as it is. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2); // optional: unit | integration

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.js')) out.push(relative(root, path));
  }
  return out.sort();
}

function runNodeTests(files, env, concurrency) {
  if (files.length === 0) return 0;
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

function kafka(command, stdio = 'inherit') {
  const result = spawnSync('bash', [join(root, 'scripts', 'kafka.sh'), command], { cwd: root, stdio });
  return result.status ?? 1;
}

// Port probes run in a child node process, as this script stays synchronous.
function probe(code) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  return result.stdout.trim();
}
function portsFree(ports) {
  return probe(`import net from 'node:net';
    const free = (p) => new Promise((r) => { const s = net.createServer(); s.once('error', () => r(false)); s.listen(p, '127.0.0.1', () => s.close(() => r(true))); });
    let ok = true; for (const p of ${JSON.stringify(ports)}) ok = (await free(p)) && ok; console.log(ok);`) === 'true';
}
function freePorts(n) {
  return probe(`import net from 'node:net';
    const servers = []; for (let i = 0; i < ${n}; i++) { const s = net.createServer(); await new Promise((r) => s.listen(0, '127.0.0.1', r)); servers.push(s); }
    console.log(servers.map((s) => s.address().port).join(' ')); for (const s of servers) s.close();`).split(' ').map(Number);
}

let failed = 0;
const want = (suite) => only.length === 0 || only.includes(suite);

if (want('unit')) {
  const files = [...testFiles(join(root, 'dist', 'tests', 'unit')), ...testFiles(join(root, 'dist', 'tests', 'scenarios'))];
  failed += runNodeTests(files, process.env, 2) === 0 ? 0 : 1;
}

if (want('integration')) {
  const files = testFiles(join(root, 'dist', 'tests', 'integration'));
  const env = { ...process.env };
  let startedBroker = false;
  if (files.length > 0 && !env.STORMWATCH_TEST_BROKERS && existsSync(join(root, 'scripts', 'kafka.sh'))) {
    // A broker someone already runs from this tree (kafka.sh status → 0) is used and left running.
    const alreadyRunning = kafka('status', 'ignore') === 0;
    if (!alreadyRunning && !env.STORMWATCH_KAFKA_PORT && !portsFree([19092, 19093])) {
      // Another tree's broker (or anything else) holds the default ports: use two free ones.
      const [port, controllerPort] = freePorts(2);
      console.error(`run-tests: ports 19092/19093 are taken, the local broker uses ${port}/${controllerPort}`);
      process.env.STORMWATCH_KAFKA_PORT = env.STORMWATCH_KAFKA_PORT = String(port);
      process.env.STORMWATCH_KAFKA_CONTROLLER_PORT = env.STORMWATCH_KAFKA_CONTROLLER_PORT = String(controllerPort);
    }
    if (!alreadyRunning && kafka('start') !== 0) {
      console.error('run-tests: could not start the local Kafka broker (scripts/kafka.sh start)');
      process.exit(1);
    }
    startedBroker = !alreadyRunning;
    env.STORMWATCH_TEST_BROKERS = '127.0.0.1:' + (process.env.STORMWATCH_KAFKA_PORT ?? '19092');
  }
  try {
    // Integration tests start processes and brokers' topics: one file at a time keeps the 2-core machine honest.
    failed += runNodeTests(files, env, 1) === 0 ? 0 : 1;
  } finally {
    if (startedBroker) kafka('stop');
  }
}

process.exit(failed === 0 ? 0 : 1);
