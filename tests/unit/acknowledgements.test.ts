import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Acknowledgements } from '../../src/acknowledgements.js';
import { fakeEvent } from './server/fixtures.js';

const SENT = Date.parse('2026-01-01T10:00:00.000Z');
const started = fakeEvent('storm.started', { emittedAt: new Date(SENT).toISOString() });

test('the first acknowledgement makes one acknowledged event: the latest event repeated, its own id, wall-clock time to acknowledge', () => {
  const acks = new Acknowledgements();
  assert.deepEqual(acks.stamp(started), started, 'nothing to stamp before an acknowledgement');
  const escalated = acks.stamp(fakeEvent('storm.escalated', { sequence: 2, severity: 80 }));
  const outcome = acks.acknowledge(escalated, { by: 'Dana', note: 'on it' }, SENT + 95_400, Date.parse('2025-03-03T12:20:00.000Z'));
  assert.equal(outcome.status, 'published');
  assert.ok(outcome.status === 'published');
  const { event } = outcome;
  assert.deepEqual(event, {
    ...escalated,
    id: 'storm-0000000000000001-ack',
    type: 'storm.acknowledged',
    at: '2025-03-03T12:20:00.000Z',
    emittedAt: '2026-01-01T10:01:35.400Z',
    acknowledgement: { by: 'Dana', note: 'on it', at: '2026-01-01T10:01:35.400Z', timeToAcknowledgeMs: 95_400 },
  });
  assert.equal(event.sequence, 2, 'the sequence of the event it follows');
});

test('a second acknowledgement is recorded, not published; later events and the post-mortem carry the first', () => {
  const acks = new Acknowledgements();
  acks.stamp(started);
  const first = acks.acknowledge(started, { by: 'Dana' }, SENT + 60_000, Number.NaN);
  const second = acks.acknowledge(started, { by: 'Sam', note: '' }, SENT + 120_000, Number.NaN);
  assert.ok(first.status === 'published');
  assert.deepEqual(first.event.at, started.at, 'no event time: the latest event\'s');
  assert.deepEqual(second, {
    status: 'recorded',
    first: { by: 'Dana', at: '2026-01-01T10:01:00.000Z', timeToAcknowledgeMs: 60_000 },
    acknowledgement: { by: 'Sam', at: '2026-01-01T10:02:00.000Z', timeToAcknowledgeMs: 120_000 },
  });
  const postMortem = { startedAt: started.at, endedAt: started.at, durationMs: 0, onsetAt: started.at, timeToDetectMs: 0, peakMentionsPerMinute: 1, peakRateRatio: 1, peakSeverity: 60, totalMentions: 1, negativeMentions: 0, escalations: 0, sentimentCourse: [] };
  const ended = acks.stamp(fakeEvent('storm.ended', { sequence: 2, postMortem }));
  assert.deepEqual(ended.acknowledgement, first.event.acknowledgement);
  assert.equal(ended.postMortem?.timeToAcknowledgeMs, 60_000);
  // The episode is closed: a new one of the same key starts unacknowledged.
  const next = fakeEvent('storm.started', { episodeId: 'storm-0000000000000002' });
  assert.equal(acks.stamp(next).acknowledgement, undefined);
});

test('an episode first seen after a restart or a handover: no time to acknowledge; one acknowledged elsewhere stays acknowledged', () => {
  const acks = new Acknowledgements();
  const inherited = fakeEvent('storm.escalated', { sequence: 3 });
  const outcome = acks.acknowledge(inherited, { by: 'Dana' }, SENT, Number.NaN);
  assert.ok(outcome.status === 'published');
  assert.deepEqual(outcome.event.acknowledgement, { by: 'Dana', at: '2026-01-01T10:00:00.000Z' });
  const elsewhere = fakeEvent('storm.escalated', { episodeId: 'storm-0000000000000009', acknowledgement: { by: 'Sam', at: '2026-01-01T09:00:00.000Z' } });
  assert.equal(acks.acknowledge(elsewhere, { by: 'Dana' }, SENT, Number.NaN).status, 'recorded');
});
