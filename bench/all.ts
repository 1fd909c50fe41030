/**
 * `npm run bench`: the engine benchmark, then the Kafka benchmark (skipped, and said so, when no
 * broker answers), each in its own process; prints their tables and writes every figure as one
 * JSON document for comparisons across commits.
 *
 *   node dist/bench/all.js [--json FILE] [--quick]
 *
 * --json defaults to .data/bench/<commit>.json. --quick: fewer mentions and runs, no latency part (a smoke run;
 * do not record its figures).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine.js';

const { values } = parseArgs({ options: { json: { type: 'string' }, quick: { type: 'boolean', default: false } }, strict: true });
const here = dirname(fileURLToPath(import.meta.url));
const machine = machineInfo();
const out = values.json ?? join('.data', 'bench', `${machine.commit}.json`);
mkdirSync(dirname(out), { recursive: true });

function run(script: string, nodeArgs: string[], args: string[]): { status: number | null; figures: unknown } {
  const json = `${out}.${script}.tmp`;
  const result = spawnSync(process.execPath, [...nodeArgs, join(here, `${script}.js`), ...args, '--json', json], { stdio: 'inherit' });
  let figures: unknown;
  try {
    figures = JSON.parse(readFileSync(json, 'utf8'));
  } catch {
    figures = undefined;
  }
  return { status: result.status, figures };
}

const quick = values.quick;
const engine = run('engine', ['--expose-gc', '--max-old-space-size=6144'], quick ? ['--mentions', '100000', '--runs', '2', '--heap-keys', '10000,100000'] : []);
console.log('');
const kafka = run('kafka', [], quick ? ['--count', '200000', '--runs', '1', '--skip-latency'] : []);
const result = {
  machine,
  engine: engine.figures,
  kafka: kafka.status === 2 ? { skipped: 'no broker (bash scripts/kafka.sh start)' } : kafka.figures,
};
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`\nfigures written to ${out}`);
process.exit(engine.status === 0 && (kafka.status === 0 || kafka.status === 2) ? 0 : 1);
