import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { Metrics } from '../../src/metrics/metrics.js';

function names(text: string): string[] {
  return [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

test('every stormwatch instrument follows the naming conventions', async () => {
  const registry = new Registry();
  new Metrics(registry, { defaultMetrics: false });
  const types = names(await registry.metrics());
  assert.ok(types.length >= 15);
  for (const entry of types) {
    const [name, type] = entry.split(' ') as [string, string];
    assert.match(name, /^stormwatch_[a-z_]+$/);
    if (type === 'counter') assert.match(name, /_total$/, `${name}: counters end in _total`);
    else assert.doesNotMatch(name, /_total$/, `${name}: only counters end in _total`);
    if (type === 'histogram' && name.includes('duration')) assert.match(name, /_seconds$/);
  }
});

test('key labels appear only for allow-listed keys', async () => {
  const registry = new Registry();
  const metrics = new Metrics(registry, { defaultMetrics: false, keyAllowList: ['acme-air'] });
  metrics.event('storm.started', 'acme-air');
  metrics.event('storm.started', 'secret-brand');
  const text = await registry.metrics();
  assert.match(text, /stormwatch_key_classification_events_total\{key="acme-air",type="storm.started"\} 1/);
  assert.doesNotMatch(text, /secret-brand/);
  assert.match(text, /stormwatch_classification_events_total\{type="storm.started"\} 2/);
  assert.equal(new Metrics(new Registry(), { defaultMetrics: false }).isAllowed('acme-air'), false);
});

test('scrape-time gauges read the live state; default process metrics are on unless disabled', async () => {
  const registry = new Registry();
  const metrics = new Metrics(registry, { keyAllowList: ['acme-air'] });
  metrics.observe({
    keysTracked: () => 6,
    activeEpisodes: () => ({ storm: 1, drizzle: 2, surge: 0 }),
    activeEpisodeLevelByKey: () => new Map([['acme-air', 'storm' as const]]),
    eventTimeMs: () => 1_741_000_000_000,
    sourceReady: () => true,
    wsClients: () => 3,
    keysEvicted: () => ({ idle: 4, limit: 1 }),
    mentionsUnread: () => 12,
  });
  const text = await registry.metrics();
  assert.match(text, /^stormwatch_keys_tracked 6$/m);
  assert.match(text, /^stormwatch_keys_evicted_total\{reason="limit"\} 1$/m);
  assert.match(text, /^stormwatch_mentions_unread_total 12$/m);
  assert.match(text, /^stormwatch_active_episodes\{level="drizzle"\} 2$/m);
  assert.match(text, /^stormwatch_key_active_episode\{key="acme-air",level="storm"\} 1$/m);
  assert.match(text, /^stormwatch_event_time_seconds 1741000000$/m);
  assert.match(text, /^stormwatch_ws_clients 3$/m);
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
});
