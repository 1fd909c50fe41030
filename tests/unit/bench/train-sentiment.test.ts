import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { WEIGHTS_FILE, freshModule } from '../../../bench/sentiment-train.js';
import { DEFAULT_DATA_DIR } from '../../../bench/sentiment-data.js';

// `npm run train:sentiment -- --check` in the unit suite: the shipped weights are what a fresh,
// seeded training run on ../shared/data produces. Skipped where that data is absent.
test('the shipped sentiment weights equal a fresh training run', { skip: existsSync(DEFAULT_DATA_DIR) ? false : `no training data at ${DEFAULT_DATA_DIR}` }, () => {
  assert.ok(freshModule(DEFAULT_DATA_DIR) === readFileSync(WEIGHTS_FILE, 'utf8'), 'model-weights.ts differs from a fresh run: npm run train:sentiment');
});
