import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, type DetectionConfig } from '../../../../src/detect/config.js';
import { expectedEvents, keyPolicy, PoliciesConfigSchema, presetConfig, type PoliciesConfig } from '../../../../src/detect/policy/policy.js';

const base = Value.Default(DetectionConfigSchema, {}) as DetectionConfig;
const policies = (p: Partial<PoliciesConfig>): PoliciesConfig => ({ ...(Value.Default(PoliciesConfigSchema, {}) as PoliciesConfig), ...p });

test('presets: balanced is the settings as they are; sensitive and conservative move the floors, bars and entry', () => {
  assert.equal(presetConfig(base, 'balanced'), base);
  const s = presetConfig(base, 'sensitive');
  assert.deepEqual(
    [s.minMentions, s.minAuthors, s.rateEnterScore, s.minRateRatio, s.enterBuckets],
    [Math.max(1, Math.round(base.minMentions / 2)), Math.max(2, Math.round(base.minAuthors / 2)), base.rateEnterScore * 0.8, Math.max(1, base.minRateRatio * 0.75), Math.max(1, base.enterBuckets - 1)],
  );
  const c = presetConfig(base, 'conservative');
  assert.deepEqual([c.minMentions, c.minAuthors, c.minRateRatio, c.enterBuckets], [base.minMentions * 2, base.minAuthors * 2, base.minRateRatio * 1.5, base.enterBuckets + 1]);
  assert.equal(c.shortWindowMs, base.shortWindowMs, 'windows stay');
});

test('rules: the first match wins, * is any run of characters, overrides go on top of the preset, exit never above enter', () => {
  const policy = keyPolicy(
    base,
    policies({
      preset: 'conservative',
      keys: [
        { match: 'acme-*', preset: 'sensitive', overrides: { cooldownMs: 60_000 } },
        { match: 'acme-air', overrides: { minMentions: 99 } },
        { match: 'a.b', overrides: { rateEnterScore: 0.1 } },
      ],
    }),
  );
  assert.equal(policy('acme-air').minMentions, presetConfig(base, 'sensitive').minMentions, 'the first rule matched');
  assert.equal(policy('acme-air').cooldownMs, 60_000);
  assert.equal(policy('acme-air'), policy('acme-bank'), 'one settings object per rule');
  assert.equal(policy('hooli').minMentions, base.minMentions * 2, 'the default preset');
  assert.equal(policy('axb').rateEnterScore, presetConfig(base, 'conservative').rateEnterScore, 'a dot is a dot');
  assert.equal(policy('a.b').rateEnterScore, 0.1);
  assert.equal(policy('a.b').rateExitScore, 0.1, 'exit lowered to the enter score');
});

test('expected events: a surge of a listed key within the window is marked; a storm, another key or another time is not', () => {
  const expected = expectedEvents(policies({ expected: [{ match: 'hooli-*', from: '2025-03-03T13:00:00Z', to: '2025-03-03T16:00:00Z', levels: ['surge'], note: 'phone launch' }] }));
  assert.deepEqual(expected({ key: 'hooli-phones', level: 'surge', at: '2025-03-03T14:05:00.000Z' }), { note: 'phone launch', from: '2025-03-03T13:00:00Z', to: '2025-03-03T16:00:00Z' });
  assert.equal(expected({ key: 'hooli-phones', level: 'storm', at: '2025-03-03T14:05:00.000Z' }), undefined, 'a storm is never muted');
  assert.equal(expected({ key: 'hooli-phones', level: 'drizzle', at: '2025-03-03T14:05:00.000Z' }), undefined);
  assert.equal(expected({ key: 'acme-air', level: 'surge', at: '2025-03-03T14:05:00.000Z' }), undefined);
  assert.equal(expected({ key: 'hooli-phones', level: 'surge', at: '2025-03-03T16:00:01.000Z' }), undefined);
});
