import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpisodeBoard } from '../../../src/episodes/board.js';
import { fakeEvent } from '../server/fixtures.js';

test('an episode is active from its start, updated by later events, and recent after its end', async () => {
  const board = new EpisodeBoard(5);
  await board.publish([fakeEvent('storm.started', { episodeId: 's1', severity: 60 })]);
  assert.equal(board.activeCount(), 1);
  assert.deepEqual(board.activeByLevel(), { storm: 1, drizzle: 0, surge: 0 });

  await board.publish([fakeEvent('storm.escalated', { episodeId: 's1', sequence: 2, severity: 85, at: '2025-03-03T12:20:00.000Z' })]);
  let [view] = board.snapshot().active;
  assert.equal(view?.severity, 85);
  assert.equal(view?.peakSeverity, 85);
  assert.equal(view?.lastType, 'storm.escalated');
  assert.equal(view?.events, 2);
  assert.equal(view?.startedAt, '2025-03-03T12:08:00.000Z');

  await board.publish([fakeEvent('storm.ended', { episodeId: 's1', sequence: 3, severity: 20, at: '2025-03-03T13:00:00.000Z' })]);
  assert.equal(board.activeCount(), 0);
  [view] = board.snapshot().recent;
  assert.equal(view?.status, 'ended');
  assert.equal(view?.endedAt, '2025-03-03T13:00:00.000Z');
  assert.equal(view?.peakSeverity, 85);
  assert.equal(view?.events, 3);
});

test('recent episodes are bounded and listed newest first; active ones by severity', async () => {
  const board = new EpisodeBoard(2);
  for (let i = 0; i < 4; i++) {
    await board.publish([fakeEvent('drizzle.started', { episodeId: `d${i}` }), fakeEvent('drizzle.ended', { episodeId: `d${i}`, sequence: 2 })]);
  }
  assert.deepEqual(board.snapshot().recent.map((v) => v.episodeId), ['d3', 'd2']);
  await board.publish([
    fakeEvent('storm.started', { episodeId: 'low', key: 'x', severity: 40 }),
    fakeEvent('surge.started', { episodeId: 'high', key: 'y', severity: 90 }),
  ]);
  assert.deepEqual(board.snapshot().active.map((v) => v.episodeId), ['high', 'low']);
  assert.deepEqual(board.snapshot(1).active.map((v) => v.episodeId), ['high']);
});

test('activeLevelByKey reports only the keys asked for, the most severe level first', async () => {
  const board = new EpisodeBoard();
  await board.publish([
    fakeEvent('surge.started', { episodeId: 'u', key: 'acme' }),
    fakeEvent('storm.started', { episodeId: 's', key: 'acme' }),
    fakeEvent('storm.started', { episodeId: 'o', key: 'other' }),
  ]);
  assert.deepEqual([...board.activeLevelByKey(new Set(['acme']))], [['acme', 'storm']]);
  assert.equal(board.activeLevelByKey(new Set()).size, 0);
});

test('an episode first seen mid-way (after a restart) still shows and ends cleanly', async () => {
  const board = new EpisodeBoard();
  await board.publish([fakeEvent('storm.subsided', { episodeId: 'm', sequence: 4 })]);
  assert.equal(board.activeCount(), 1);
  await board.publish([fakeEvent('storm.ended', { episodeId: 'm', sequence: 5 })]);
  assert.equal(board.activeCount(), 0);
  assert.equal(board.snapshot().recent.length, 1);
});

test('a surge that becomes a storm is one episode on the board, now counted as a storm', async () => {
  const board = new EpisodeBoard(5);
  await board.publish([fakeEvent('surge.started', { episodeId: 'e1', level: 'surge' })]);
  assert.deepEqual(board.activeByLevel(), { storm: 0, drizzle: 0, surge: 1 });
  await board.publish([fakeEvent('storm.level_changed', { episodeId: 'e1', sequence: 2, level: 'storm', previousLevel: 'surge' })]);
  assert.equal(board.activeCount(), 1);
  assert.deepEqual(board.activeByLevel(), { storm: 1, drizzle: 0, surge: 0 });
  assert.equal(board.snapshot().active[0]?.level, 'storm');
});
