import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { Feedback } from '../../../src/events/feedback.js';
import { FileFeedbackLog } from '../../../src/feedback/file-log.js';
import { FeedbackStore } from '../../../src/feedback/store.js';
import { createLogger } from '../../../src/logging.js';
import { Metrics } from '../../../src/metrics/metrics.js';

const silent = createLogger({ log: { level: 'silent' } });

const feedback = (id: string, verdict: Feedback['verdict'], level: Feedback['level'] = 'storm', episodeId = 'storm-1'): Feedback => ({ id, episodeId, key: 'acme-air', level, verdict, by: 'Dana', at: '2026-01-01T10:00:00.000Z', peakSeverity: 70 });

function store() {
  const metrics = new Metrics(new Registry(), { defaultMetrics: false });
  return { store: new FeedbackStore(metrics.feedback), metrics };
}

test('counts per level and verdict, precision = confirmed ÷ all, each id once; the counter follows', async () => {
  const { store: s, metrics } = store();
  for (const f of [feedback('a', 'confirmed'), feedback('b', 'confirmed'), feedback('c', 'false_alarm'), feedback('a', 'confirmed'), feedback('d', 'wrong_level', 'drizzle', 'drizzle-1')]) s.apply(f);
  assert.deepEqual(s.summary(), {
    storm: { confirmed: 2, false_alarm: 1, wrong_level: 0, precision: 2 / 3 },
    drizzle: { confirmed: 0, false_alarm: 0, wrong_level: 1, precision: 0 },
    surge: { confirmed: 0, false_alarm: 0, wrong_level: 0, precision: null },
  });
  assert.deepEqual(s.recent(10).map((f) => f.id), ['d', 'c', 'b', 'a']);
  assert.deepEqual(s.recent(10, 'storm-1').map((f) => f.id), ['c', 'b', 'a']);
  assert.deepEqual(s.recent(1).map((f) => f.id), ['d']);
  const text = await metrics.registry.metrics();
  assert.match(text, /stormwatch_feedback_total\{level="storm",verdict="confirmed"\} 2\n/);
  assert.match(text, /stormwatch_feedback_total\{level="surge",verdict="false_alarm"\} 0\n/, 'every series from the start');
});

test('the feedback file: appended, read back at start from <path>.1 then <path>, lines that are not feedback skipped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-feedback-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'feedback.ndjson');
  await writeFile(`${path}.1`, JSON.stringify(feedback('old', 'confirmed')) + '\n{"not":"feedback"}\n');
  await writeFile(path, 'not json\n' + JSON.stringify(feedback('new', 'false_alarm')) + '\n');
  const first = store();
  const log = new FileFeedbackLog({ path, maxBytes: 1 << 20, logger: silent });
  await log.start((r) => first.store.apply(r));
  assert.equal(log.isReady(), true);
  assert.deepEqual(first.store.recent(10).map((f) => f.id), ['new', 'old']);
  await log.append(feedback('added', 'wrong_level'));
  assert.deepEqual(first.store.recent(1).map((f) => f.id), ['added'], 'applied once kept');
  await log.close();

  const again = store();
  const reopened = new FileFeedbackLog({ path, maxBytes: 1 << 20, logger: silent });
  await reopened.start((r) => again.store.apply(r));
  assert.deepEqual(again.store.summary().storm, { confirmed: 1, false_alarm: 1, wrong_level: 1, precision: 1 / 3 });
  await reopened.close();
});
