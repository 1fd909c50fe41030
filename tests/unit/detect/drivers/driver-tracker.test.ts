import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DriverTracker, TermBackground } from '../../../../src/detect/drivers/driver-tracker.js';
import { forEachTerm } from '../../../../src/detect/drivers/terms.js';
import type { Mention } from '../../../../src/events/mention.js';

function mention(id: string, text: string, authorId: string, followers = 100): Mention {
  return { id, key: 'acme', text, tsMs: 0, authorId, followers, verified: false, likes: 0, shares: 0, replies: 0, lang: 'en', platform: undefined, url: undefined };
}

test('terms skip URLs, handles, stop words and numbers; hashtags keep their #', () => {
  const terms: string[] = [];
  forEachTerm('@AcmeAir The flights are CANCELLED again!! #AcmeFail https://t.co/x 2024', (t) => terms.push(t));
  assert.deepEqual(terms, ['flights', 'cancelled', 'again', '#acmefail']);
});

test('drivers rank terms by lift against the background, authors by mentions, samples by reach', () => {
  const background = new TermBackground();
  for (let i = 0; i < 200; i++) background.observe('love the new app, great service today');
  const tracker = new DriverTracker(2);
  for (let i = 0; i < 30; i++) tracker.observe(mention(`m${i}`, 'outage again, service down #acmedown', `user${i % 10}`), 1 + (i % 7), -0.6);
  tracker.observe(mention('big', 'total outage, refund now #acmedown', 'celebrity', 2_000_000), 9, -0.9);
  tracker.observe(mention('nice', 'great service', 'fan'), 20, 0.8);
  const drivers = tracker.summarise(background, 3);
  assert.deepEqual(drivers.hashtags.map((t) => t.term), ['#acmedown']);
  assert.equal(drivers.terms[0]!.term, 'outage');
  assert.ok(!drivers.terms.some((t) => t.term === 'service') || drivers.terms.findIndex((t) => t.term === 'service') > 0, 'a usual word ranks below the new one');
  // Ties in reach break by id, as strings: m13 before m20, m27 and m6.
  assert.deepEqual(drivers.samples.map((s) => s.id), ['big', 'm13'], 'the most amplified negative posts; positive ones never');
  assert.equal(drivers.authors[0]!.mentions, 3);
});

test('samples are truncated to 280 characters', () => {
  const tracker = new DriverTracker(1);
  tracker.observe(mention('long', 'terrible '.repeat(100), 'a'), 1, -0.5);
  const [sample] = tracker.summarise(new TermBackground(), 5).samples;
  assert.equal(sample!.text.length, 280);
  assert.ok(sample!.text.endsWith('…'));
});

test('audience: mentions tracked, with known followers, and from accounts under 10 followers; a missing count is unknown', () => {
  const tracker = new DriverTracker(0);
  for (let i = 0; i < 6; i++) tracker.observe(mention(`a${i}`, 'refund now', `bot${i}`, i < 5 ? 2 : 500), 1, -0.5);
  for (let i = 0; i < 6; i++) tracker.observe({ ...mention(`u${i}`, 'refund now', `user${i}`), followers: undefined }, 1, -0.5);
  tracker.observe(mention('k', 'refund now', 'known', 9), 1, -0.5);
  assert.deepEqual(tracker.audience(), { tracked: 13, known: 7, none: 6 });
});

