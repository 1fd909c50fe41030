import type { DetectionParams } from '../params.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * `slotOf` (hour of day of a bucket index) as a table lookup: the rate model asks it about four
 * times per bucket close, and the generic version does floating-point modulo on epoch
 * milliseconds (~25 ns). When the bucket width divides a day, the hour of bucket `b` depends only
 * on `(b + q) mod bucketsPerDay` (with the time-zone offset written as `q` buckets plus a rest
 * shorter than a bucket), so one small table answers exactly what the generic function answers.
 * Other widths keep the generic function.
 */
export function withHourSlotTable(params: DetectionParams): DetectionParams {
  const bucketMs = params.bucketMs;
  if (!Number.isInteger(bucketMs) || bucketMs <= 0 || DAY_MS % bucketMs !== 0) return params;
  const bucketsPerDay = DAY_MS / bucketMs;
  const offsetMs = params.utcOffsetMinutes * 60_000;
  const shift = Math.floor(offsetMs / bucketMs);
  const rest = offsetMs - shift * bucketMs; // 0 <= rest < bucketMs
  const table = new Uint8Array(bucketsPerDay);
  for (let i = 0; i < bucketsPerDay; i++) table[i] = Math.floor((i * bucketMs + rest) / HOUR_MS);
  const generic = params.slotOf;
  const slotOf = (bucket: number): number => {
    // Bucket indices of real timestamps fit an int32 comfortably; others take the generic path.
    const i = bucket + shift;
    if ((i | 0) !== i) return generic(bucket);
    const r = i % bucketsPerDay;
    return table[r < 0 ? r + bucketsPerDay : r]!;
  };
  return Object.freeze({ ...params, slotOf });
}
