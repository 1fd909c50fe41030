/**
 * HyperLogLog with 32 one-byte registers, stored at an offset inside a shared Uint8Array so a
 * ring of buckets keeps all its sketches in one allocation. Standard error about 18 %; the
 * small-range (linear counting) correction makes it nearly exact below ~40 distinct values,
 * which is where the floors and the coordination check need it.
 */
export const HLL_REGISTERS = 32;
const INDEX_BITS = 5;
const ALPHA = 0.697; // bias constant for m = 32 (Flajolet et al.)

export function hllAdd(registers: Uint8Array, offset: number, hash: number): void {
  const index = hash >>> (32 - INDEX_BITS);
  const rest = (hash << INDEX_BITS) >>> 0;
  // Rank: position of the first set bit in the remaining 27 bits, 1-based.
  const rank = rest === 0 ? 32 - INDEX_BITS + 1 : Math.clz32(rest) + 1;
  const at = offset + index;
  if (rank > registers[at]!) registers[at] = rank;
}

/** Merges the sketches of `from` that start at `offsets` into `into` (zeroed first): their register-wise maximum. */
export function hllMergeInto(into: Uint8Array, from: Uint8Array, offsets: readonly number[]): void {
  into.fill(0);
  for (const offset of offsets) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = from[offset + i]!;
      if (r > into[i]!) into[i] = r;
    }
  }
}

const INVERSE_POWERS = Float64Array.from({ length: 34 }, (_, r) => 2 ** -r);

export function hllEstimate(registers: Uint8Array, offset = 0): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const r = registers[offset + i]!;
    sum += INVERSE_POWERS[r]!;
    if (r === 0) zeros++;
  }
  const raw = (ALPHA * HLL_REGISTERS * HLL_REGISTERS) / sum;
  if (raw <= 2.5 * HLL_REGISTERS && zeros > 0) return HLL_REGISTERS * Math.log(HLL_REGISTERS / zeros);
  return raw;
}
