// The live page in a real browser: headless Chromium (the system's, driven by playwright-core)
// opens / on the real service while the accelerated simulator plays the acme-air storm. The storm
// card must appear with its explanation, evidence and playbook, and leave when the storm ends, with
// the post-mortem in the timeline. Screenshots go to test-artifacts/ (git-ignored).
// Without Chromium the test is skipped loudly, except under CI=true, where it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, startLivePage } from '../support/browser.js';

// 900×: the 6 h warm-up passes in 24 s; the acme-air storm starts ~25 s and ends ~31 s after start.
const SPEEDUP = 900;

const STORM_CARD = '.card[data-level="storm"][data-key="acme-air"]';

test('live page: the acme-air storm card appears with its explanation and leaves when the storm ends', { timeout: 180_000 }, async (t) => {
  const live = await startLivePage(t, SPEEDUP);
  if (live === undefined) return;
  const { page, base, problems, startedMs: started } = live;

  await page.goto(base);
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 15_000 });
  assert.equal(await page.locator('#calm').isVisible(), true, 'calm before the storm');

  const card = page.locator(STORM_CARD);
  await card.waitFor({ state: 'visible', timeout: 90_000 });
  const appearedS = (Date.now() - started) / 1000;
  await page.waitForTimeout(800); // the arrival animation
  const explanation = (await card.locator('.explanation').textContent())?.trim() ?? '';
  assert.match(explanation, /\w/, 'an explanation line');
  const api = (await (await fetch(`${base}api/episodes`)).json()) as { active: { key: string; level: string; explanation: string }[] };
  const episode = api.active.find((e) => e.key === 'acme-air' && e.level === 'storm');
  assert.ok(episode, 'the API agrees a storm is active');
  // A surge or drizzle that became a storm keeps its card and says what it was.
  assert.match((await card.locator('.level').textContent()) ?? '', /^storm( \(was (surge|drizzle)\))?$/);
  assert.ok((await card.locator('.evidence dd').count()) >= 5, 'evidence numbers');
  assert.equal(await card.locator('.evidence dt').filter({ hasText: /^alarm$/ }).count(), 1, 'the alarm share');
  assert.ok((await card.locator('.playbook li').count()) >= 1, 'a playbook');
  assert.ok((await card.locator('.drivers .chip').count()) >= 1, 'drivers');
  assert.ok((await card.locator('.samples li').count()) >= 1, 'sample posts');
  const width = await card.locator('.severity .bar').evaluate((el) => (el as unknown as { style: { width: string } }).style.width);
  assert.match(width, /^\d+%$/);
  assert.match(await page.title(), /storm/);
  await page.screenshot({ path: join(ARTIFACTS, 'live-page-storm.png'), fullPage: false });

  // The same page on a phone-sized viewport: one column, the card fits the width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const box = await card.boundingBox();
  assert.ok(box !== null && box.width <= 390 && box.x >= 0, `card fits a phone (${JSON.stringify(box)})`);
  const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  assert.ok(scrollWidth <= 390, `no sideways scrolling on a phone (scrollWidth ${scrollWidth})`);
  await page.screenshot({ path: join(ARTIFACTS, 'live-page-storm-phone.png'), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 860 });

  await card.waitFor({ state: 'detached', timeout: 60_000 });
  const leftS = (Date.now() - started) / 1000;
  const ended = page.locator('#timeline li[data-type="storm.ended"]').filter({ hasText: 'acme-air' });
  await ended.first().waitFor({ timeout: 5000 });
  assert.match((await ended.first().locator('.postmortem').textContent()) ?? '', /Post-mortem: lasted/);
  await page.screenshot({ path: join(ARTIFACTS, 'live-page-after-storm.png'), fullPage: false });
  t.diagnostic(`storm card appeared after ${appearedS.toFixed(1)} s and left after ${leftS.toFixed(1)} s (speedup ${SPEEDUP}); explanation: ${explanation}`);
  assert.deepEqual(problems, [], 'no errors in the page');
});
