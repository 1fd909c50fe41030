import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { Acknowledgements } from '../../../src/acknowledgements.js';
import { buildApp } from '../../../src/server/app.js';
import { feedHub } from '../../support/feed.js';
import { EpisodeBoard } from '../../../src/episodes/board.js';
import { fakeEvent } from './fixtures.js';

const NOW = Date.parse('2026-01-01T10:00:00.000Z');

/** The app with the board fed as the service feeds it: the acknowledged event goes to the board's publish. */
async function setup(token = '') {
  const hub = feedHub({ subscribeGraceMs: 0, token });
  const board = new EpisodeBoard(10);
  const acks = new Acknowledgements();
  const published: string[] = [];
  const app = await buildApp({
    feed: hub,
    board,
    registry: new Registry(),
    readiness: () => ({ ready: true, checks: {} }),
    acknowledge: async (latest, request) => {
      const outcome = acks.acknowledge(latest, request, NOW, Number.NaN);
      if (outcome.status === 'published') {
        published.push(outcome.event.type);
        await board.publish([outcome.event]);
      }
      return outcome;
    },
  });
  await board.publish([fakeEvent('storm.started'), fakeEvent('drizzle.started', { key: 'bank' }), fakeEvent('drizzle.ended', { key: 'bank', sequence: 2 })]);
  return { app, board, published };
}

const ack = (body: unknown, headers: Record<string, string> = {}, id = 'storm-0000000000000001') => ({ method: 'POST' as const, url: `/api/episodes/${id}/ack`, payload: body as Record<string, unknown>, headers });

test('POST /api/episodes/:id/ack: 202 published once, then 200 recorded; the board lists both', async (t) => {
  const { app, board, published } = await setup();
  t.after(() => app.close());
  const first = await app.inject(ack({ by: '  Dana ', note: 'calling the airline' }));
  assert.equal(first.statusCode, 202);
  assert.deepEqual(first.json().acknowledgement, { by: 'Dana', note: 'calling the airline', at: '2026-01-01T10:00:00.000Z' });
  assert.equal(first.json().event.type, 'storm.acknowledged');
  const second = await app.inject(ack({ by: 'Sam' }));
  assert.equal(second.statusCode, 200);
  assert.equal(second.json().status, 'recorded');
  assert.equal(second.json().first.by, 'Dana');
  assert.deepEqual(published, ['storm.acknowledged'], 'published once');
  const view = board.find('storm-0000000000000001')!;
  assert.equal(view.acknowledgement?.by, 'Dana');
  assert.deepEqual(view.acknowledgements.map((a) => a.by), ['Dana', 'Sam']);
  assert.equal(view.lastType, 'storm.acknowledged');
});

test('unknown episode 404, ended 409, bad bodies 400, a cross-site POST 403', async (t) => {
  const { app } = await setup();
  t.after(() => app.close());
  assert.equal((await app.inject(ack({ by: 'Dana' }, {}, 'storm-nope'))).statusCode, 404);
  const ended = await app.inject(ack({ by: 'Dana' }, {}, 'drizzle-0000000000000001'));
  assert.equal(ended.statusCode, 409);
  assert.equal(ended.json().error, 'episode_ended');
  for (const body of [{}, { by: '' }, { by: '   ' }, { by: 'x'.repeat(101) }, { by: 'Dana', note: 'x'.repeat(1001) }, { note: 'no name' }]) {
    assert.equal((await app.inject(ack(body))).statusCode, 400, JSON.stringify(body).slice(0, 40));
  }
  assert.equal((await app.inject(ack({ by: 'Dana' }, { origin: 'https://evil.example' }))).statusCode, 403);
  assert.equal((await app.inject(ack({ by: 'Dana' }, { origin: 'http://localhost:80' }))).statusCode, 202, 'the page\'s own origin');
});

test('the feed token is required when set', async (t) => {
  const { app } = await setup('s3cret');
  t.after(() => app.close());
  assert.equal((await app.inject(ack({ by: 'Dana' }))).statusCode, 401);
  assert.equal((await app.inject(ack({ by: 'Dana' }, { authorization: 'Bearer wrong' }))).statusCode, 401);
  assert.equal((await app.inject(ack({ by: 'Dana' }, { authorization: 'Bearer s3cret' }))).statusCode, 202);
});
