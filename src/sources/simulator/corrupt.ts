import type { MentionInput, RejectReason } from '../../events/mention.js';
import type { Rng } from './prng.js';

/**
 * Bad input for robustness tests: turns a good mention into one NDJSON line that `parseMention`
 * must reject, and says with which reason. Covers invalid JSON, non-objects, missing required
 * fields, wrong types and bad timestamps (not empty lines, encodings or oversize records).
 */

export interface CorruptLine {
  readonly line: string;
  readonly reason: RejectReason;
}

type Mutable = Record<string, unknown>;

const badTimestamps: readonly (string | number)[] = [
  'yesterday',
  '2025-02-30T25:61:00Z',
  '03/03/2025 12:00',
  0,
  -5,
  '1999-12-31T23:59:59Z',
  4_102_444_800_000,
  '9999999999999',
  '',
];

export function corruptMention(mention: MentionInput, rng: Rng): CorruptLine {
  const json = JSON.stringify(mention);
  const copy = JSON.parse(json) as Mutable;
  switch (rng.int(5)) {
    case 0: {
      const variant = rng.int(3);
      if (variant === 0) return { line: json.slice(0, 1 + rng.int(json.length - 2)), reason: 'invalid_json' };
      if (variant === 1) return { line: json.slice(0, -1) + ',}', reason: 'invalid_json' };
      return { line: `id=${mention.id} key=${mention.key} text=${mention.text}`, reason: 'invalid_json' };
    }
    case 1: {
      const lines = [`[${json}]`, JSON.stringify(mention.text), '42', 'null', 'true'];
      return { line: rng.pick(lines), reason: 'not_an_object' };
    }
    case 2: {
      delete copy[rng.pick(['id', 'key', 'text', 'ts'])];
      return { line: JSON.stringify(copy), reason: 'missing_field' };
    }
    case 3: {
      switch (rng.int(7)) {
        case 0:
          copy.key = 12_345;
          break;
        case 1:
          copy.text = null;
          break;
        case 2:
          copy.ts = true;
          break;
        case 3:
          copy.author = 'someone';
          break;
        case 4:
          copy.author = { ...(copy.author as Mutable), followers: 'many' };
          break;
        case 5:
          copy.engagement = { ...(copy.engagement as Mutable), likes: -3 };
          break;
        default:
          copy.id = '';
          break;
      }
      return { line: JSON.stringify(copy), reason: 'bad_type' };
    }
    default: {
      const ts = rng.pick(badTimestamps);
      // An empty string fails the schema (minLength 1) before the timestamp check.
      copy.ts = ts;
      return { line: JSON.stringify(copy), reason: ts === '' ? 'bad_type' : 'bad_timestamp' };
    }
  }
}
