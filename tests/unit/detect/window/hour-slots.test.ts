import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withHourSlotTable } from '../../../../src/detect/window/hour-slots.js';
import { detectionConfig } from '../../../support/detection.js';

test('the hour-slot table answers exactly what the generic slotOf answers', () => {
  for (const bucketMs of [1000, 15_000, 60_000, 300_000, 3_600_000, 7_000]) {
    for (const utcOffsetMinutes of [0, 60, -300, 330, 345, -570, 840, -840, 1]) {
      const generic = detectionConfig({ bucketMs, shortWindowMs: bucketMs * 5, utcOffsetMinutes });
      const fast = withHourSlotTable(generic);
      if (86_400_000 % bucketMs !== 0) assert.equal(fast, generic, 'widths that do not divide a day keep the generic function');
      const start = Math.floor(Date.UTC(2025, 2, 3) / bucketMs);
      const span = Math.ceil((3 * 86_400_000) / bucketMs);
      for (let b = start - span; b < start + span; b += 1 + (b % 7)) assert.equal(fast.slotOf(b), generic.slotOf(b), `bucket ${b}, ${bucketMs} ms, offset ${utcOffsetMinutes}`);
      for (const b of [0, -1, -12345, 2 ** 31, -(2 ** 31) - 5, 2 ** 40]) assert.equal(fast.slotOf(b), generic.slotOf(b), `bucket ${b}`);
    }
  }
});
