// The crisis team's loop on the live page, in headless Chromium (the system's, driven by
// playwright-core) on the real service while the accelerated simulator plays the acme-air storm:
// the storm card's Acknowledge button, the acknowledgement on the card, in /api/episodes and in the
// post-mortem; the card's curve (volume per minute against the usual band, negative share) and the
// same curve in /api/episodes/:episodeId; a page opened after the storm gets the timeline from
// history. Screenshots go to test-artifacts/ (tests/support/browser.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EpisodeCurve } from '../../src/episodes/curves.js';
import type { EpisodeSnapshot, EpisodeView } from '../../src/episodes/board.js';
import { ARTIFACTS, startLivePage } from '../support/browser.js';

// 900×: the 6 h warm-up passes in 24 s; the acme-air storm starts ~25 s and ends ~31 s after start.
const SPEEDUP = 900;
const STORM_CARD = '.card[data-level="storm"][data-key="acme-air"]';

test('live page: acknowledge the acme-air storm from its card, see its curve; the post-mortem says how long it took; a late page gets the history', { timeout: 180_000 }, async (t) => {
  const live = await startLivePage(t, SPEEDUP, {}, { width: 1280, height: 900 });
  if (live === undefined) return;
  const { page, base, problems } = live;
  await page.goto(base);
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });

  const card = page.locator(STORM_CARD);
  await card.waitFor({ state: 'visible', timeout: 90_000 });
  await card.locator('.ack-by').fill('Dana');
  await card.locator('.ack-note').fill('holding statement out');
  await card.getByRole('button', { name: 'Acknowledge' }).click();
  const done = card.locator('.ack-done');
  await done.waitFor({ state: 'visible', timeout: 5000 });
  assert.match((await done.textContent()) ?? '', /^Acknowledged by Dana, \d+ s after the alert: holding statement out$/);
  assert.equal(await card.locator('.ack-form').isVisible(), false, 'the form gives way to who acknowledged');
  const api = (await (await fetch(`${base}api/episodes`)).json()) as EpisodeSnapshot;
  const view = api.active.find((e) => e.key === 'acme-air' && e.level === 'storm');
  assert.equal(view?.acknowledgement?.by, 'Dana');
  assert.equal(view?.lastType, 'storm.acknowledged');
  await page.locator('#timeline li[data-type="storm.acknowledged"]').first().waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(ARTIFACTS, 'live-page-acknowledged.png'), fullPage: false });

  // The curve: drawn from the server's series, which runs from the start to now.
  await card.locator('.curve polyline.observed').waitFor({ timeout: 10_000 });
  const one = (await (await fetch(`${base}api/episodes/${view!.episodeId}`)).json()) as EpisodeView & { curve: EpisodeCurve };
  const points = one.curve.points;
  assert.ok(points.length >= 3, `${points.length} points`);
  assert.ok(Date.parse(points[0]!.at) <= Date.parse(one.startedAt), 'from the start');
  assert.ok(points.some((p) => p.mentionsPerMinute > p.usualPerMinute * one.curve.bandRatio), 'above the usual band during the storm');
  assert.ok(points.every((p) => p.negativeShare >= 0 && p.negativeShare <= 1));
  const drawn = await card.locator('.curve polyline.observed').getAttribute('points');
  assert.ok((drawn?.split(' ').length ?? 0) >= 3, 'the page draws the points');
  assert.match((await card.locator('.curve-legend').textContent()) ?? '', /\/min against usual .* negative \d+%/);
  await card.screenshot({ path: join(ARTIFACTS, 'live-page-curve.png') });

  await card.waitFor({ state: 'detached', timeout: 60_000 });
  const ended = page.locator('#timeline li[data-type="storm.ended"]').filter({ hasText: 'acme-air' });
  await ended.first().waitFor({ timeout: 5000 });
  assert.match((await ended.first().locator('.postmortem').textContent()) ?? '', /acknowledged \d+ s after the alert\.$/);
  await ended.first().locator('.curve polyline.observed').waitFor({ timeout: 10_000 });

  // A page opened after the storm: the timeline comes from history, the storm's course included.
  const late = await live.context.newPage();
  late.on('pageerror', (error) => problems.push(`late page error: ${error.message}`));
  await late.goto(base);
  await late.locator(`#timeline li[data-type="storm.ended"][data-episode-id="${view!.episodeId}"]`).waitFor({ timeout: 10_000 });
  const types = await late.locator(`#timeline li[data-episode-id="${view!.episodeId}"]`).evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
  assert.equal(types[0], 'storm.ended', 'newest first');
  assert.equal(types.at(-1), 'storm.started');
  assert.ok(types.includes('storm.acknowledged'));
  await late.locator(`#timeline li[data-type="storm.ended"][data-episode-id="${view!.episodeId}"] .curve`).waitFor({ timeout: 10_000 });
  await late.screenshot({ path: join(ARTIFACTS, 'live-page-history.png'), fullPage: false });
  t.diagnostic(`curve: ${points.length} points while active; timeline of a late page: ${types.join(' ')}`);
  assert.deepEqual(problems, [], 'no errors in the page');
});
