// Per-brand policy through the real service process (simulator at 900×, no Kafka): the config
// file's `policies` are read again on SIGHUP, without a restart or a lost mention. The process
// starts with acme-air muted (a conservative preset whose floor no storm reaches) and no calendar;
// an invalid file on SIGHUP is refused with one log line and changes nothing; the valid one lifts
// the mute and marks hooli-phones' launch as expected: the acme-air storm is then announced, and
// the launch surge carries `expected`.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ClassificationEvent } from '../../src/events/classification.js';
import { assertValidEvent } from '../support/detection.js';
import { embeddedServiceEnv, spawnNode } from '../support/processes.js';
import { waitFor } from '../support/until.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

interface Episodes {
  active: Array<{ key: string; latest: ClassificationEvent }>;
  recent: Array<{ key: string; latest: ClassificationEvent }>;
}

test('SIGHUP reloads the per-brand policies: a muted brand is heard again, a planned launch is marked expected; a bad file is refused', { timeout: 150_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-policy-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'stormwatch.json');
  await writeFile(file, JSON.stringify({ policies: { keys: [{ match: 'acme-*', preset: 'conservative', overrides: { minMentions: 1_000_000 } }] } }));
  const env = { ...embeddedServiceEnv(dir, 900), STORMWATCH_CONFIG: file };
  const service = spawnNode(MAIN, [], { env });
  t.after(() => service.kill('SIGKILL', 1000));
  const listening = JSON.parse(await service.waitForLine(/stormwatch listening/, 20_000)) as { port: number };
  const base = `http://127.0.0.1:${listening.port}`;

  await writeFile(file, JSON.stringify({ policies: { preset: 'bogus' } }));
  service.child.kill('SIGHUP');
  const refused = JSON.parse(await service.waitForLine(/SIGHUP: the new configuration is invalid/, 10_000)) as { problems: string[] };
  assert.ok(refused.problems.some((p) => p.includes('policies.preset')), refused.problems.join('; '));

  await writeFile(file, JSON.stringify({ policies: { expected: [{ match: 'hooli-*', from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', levels: ['surge'], note: 'phone launch' }] } }));
  service.child.kill('SIGHUP');
  await service.waitForLine(/policies reloaded/, 10_000);
  const acceptedAtReload = Number((await (await fetch(`${base}/metrics`)).text()).match(/^stormwatch_mentions_total\{outcome="accepted"\} (\d+)/m)?.[1]);

  const latestOf = async (key: string, type: string): Promise<ClassificationEvent | undefined> => {
    const episodes = (await (await fetch(`${base}/api/episodes`)).json()) as Episodes;
    return [...episodes.active, ...episodes.recent].map((v) => v.latest).find((e) => e.key === key && (e.type === type || e.type.startsWith(type.split('.')[0]!)));
  };
  const eventOf = (key: string, type: string): Promise<ClassificationEvent> =>
    waitFor(`${type} for ${key}`, () => latestOf(key, type), 90_000, 500).catch((error: Error) => {
      throw new Error(`${error.message}; log: ${service.tail(20)}`);
    });
  const storm = await eventOf('acme-air', 'storm.started');
  assertValidEvent(storm);
  assert.equal(storm.expected, undefined);
  const surge = await eventOf('hooli-phones', 'surge.started');
  assertValidEvent(surge);
  assert.deepEqual(surge.expected, { note: 'phone launch', from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });

  const accepted = Number((await (await fetch(`${base}/metrics`)).text()).match(/^stormwatch_mentions_total\{outcome="accepted"\} (\d+)/m)?.[1]);
  assert.ok(accepted > acceptedAtReload, 'the same process went on taking mentions');
  assert.equal(service.lines.filter((l) => /stormwatch listening/.test(l.line)).length, 1, 'no restart');
});
