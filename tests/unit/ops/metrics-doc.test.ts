import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { KafkaMetrics } from '../../../src/kafka/metrics.js';
import { Metrics } from '../../../src/metrics/metrics.js';
import { StateMetrics } from '../../../src/state/metrics.js';
import { documentedMetrics, registeredMetrics, repoFile } from '../../support/ops.js';

// docs/metrics.md is the metrics contract: every stormwatch_* instrument a fresh registry holds (the
// service's, the Kafka adapter's and the keyed state's) is in its tables with the same type and label names, and
// nothing else is.

function freshRegistry(defaultMetrics: boolean): Registry {
  const registry = new Registry();
  new Metrics(registry, { defaultMetrics });
  new KafkaMetrics(registry);
  new StateMetrics(registry);
  return registry;
}

const doc = readFileSync(repoFile('docs/metrics.md'), 'utf8');

test('docs/metrics.md lists exactly the stormwatch instruments, with their types and labels', () => {
  const documented = documentedMetrics(doc);
  const registered = registeredMetrics(freshRegistry(false));
  const docStormwatch = [...documented.values()].filter((m) => m.name.startsWith('stormwatch_'));
  assert.ok(registered.length >= 20, 'the registry has the stormwatch instruments');

  const missing = registered.filter((m) => !documented.has(m.name)).map((m) => m.name);
  assert.deepEqual(missing, [], 'registered but not in docs/metrics.md');
  const stale = docStormwatch.filter((m) => !registered.some((r) => r.name === m.name)).map((m) => m.name);
  assert.deepEqual(stale, [], 'in docs/metrics.md but not registered');

  for (const metric of registered) {
    const row = documented.get(metric.name)!;
    assert.equal(row.type, metric.type, `${metric.name}: type`);
    assert.deepEqual([...row.labels].sort(), [...metric.labels].sort(), `${metric.name}: labels`);
  }
});

test('documented process and runtime metrics exist among the default metrics', () => {
  const registered = new Map(registeredMetrics(freshRegistry(true)).map((m) => [m.name, m]));
  const defaults = [...documentedMetrics(doc).values()].filter((m) => !m.name.startsWith('stormwatch_'));
  assert.ok(defaults.length >= 4);
  for (const row of defaults) {
    const metric = registered.get(row.name);
    assert.ok(metric, `${row.name} is documented but not exposed`);
    assert.equal(row.type, metric.type, `${row.name}: type`);
  }
  for (const name of registered.keys()) assert.doesNotMatch(name, /^nodejs_active_\w+_total$/, 'gauges named *_total are left out');
});

test('the parser reads the table format (a malformed row would otherwise pass silently)', () => {
  const parsed = documentedMetrics(
    [
      '| Metric | Type | Labels | Meaning |',
      '| --- | --- | --- | --- |',
      '| `a_total` | counter | `x` (1, 2), `y` (allow-listed) | text with `code` |',
      '| `b` | gauge | — | text |',
    ].join('\n'),
  );
  assert.deepEqual([...parsed.values()], [
    { name: 'a_total', type: 'counter', labels: ['x', 'y'] },
    { name: 'b', type: 'gauge', labels: [] },
  ]);
});
