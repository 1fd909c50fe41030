// The crisis team's loop on the live page, in headless Chromium (the system's, driven by
// playwright-core) on the real service while the accelerated simulator plays the acme-air storm:
// the storm card's Acknowledge button, the acknowledgement on the card, in /api/episodes and in the
// post-mortem. Screenshots go to test-artifacts/ (tests/support/browser.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EpisodeSnapshot } from '../../src/sinks/episode-board.js';
import { ARTIFACTS, startLivePage } from '../support/browser.js';

// 900×: the 6 h warm-up passes in 24 s; the acme-air storm starts ~25 s and ends ~31 s after start.
const SPEEDUP = 900;
const STORM_CARD = '.card[data-level="storm"][data-key="acme-air"]';

test('live page: acknowledge the acme-air storm from its card; the post-mortem says how long it took', { timeout: 180_000 }, async (t) => {
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

  await card.waitFor({ state: 'detached', timeout: 60_000 });
  const ended = page.locator('#timeline li[data-type="storm.ended"]').filter({ hasText: 'acme-air' });
  await ended.first().waitFor({ timeout: 5000 });
  assert.match((await ended.first().locator('.postmortem').textContent()) ?? '', /acknowledged \d+ s after the alert\.$/);
  assert.deepEqual(problems, [], 'no errors in the page');
});
