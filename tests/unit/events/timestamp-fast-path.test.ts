import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMention, parseTimestamp, parseTimestampGeneric } from '../../../src/events/mention.js';
import { corruptMention, generateMentions, manyKeysConfig, Rng } from '../../../src/sources/simulator/index.js';

const START = Date.UTC(2025, 2, 3, 6);
const same = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

test('the ISO fast path gives what the generic parser gives: every field at and beyond its edges', () => {
  const rng = new Rng(11, 1);
  const years = [0, 1, 50, 99, 100, 999, 1000, 1969, 1970, 1999, 2000, 2024, 2025, 2099, 2100, 9999];
  for (let i = 0; i < 50_000; i++) {
    const year = rng.next() < 0.3 ? rng.pick(years) : rng.int(10_000);
    const fields = [pad(year, 4), pad(rng.int(14), 2), pad(rng.int(33), 2), pad(rng.int(26), 2), pad(rng.int(62), 2), pad(rng.int(62), 2)];
    const fraction = rng.pick(['', '.000', '.999', `.${pad(rng.int(1000), 3)}`, '.1', '.12', '.1234', '.123456789']);
    const zone = rng.pick(['Z', 'Z', 'Z', '', '+00:00', '-05:30', 'z']);
    const sep = rng.pick(['T', 'T', 'T', ' ', 't']);
    const ts = `${fields[0]}-${fields[1]}-${fields[2]}${sep}${fields[3]}:${fields[4]}:${fields[5]}${fraction}${zone}`;
    assert.ok(same(parseTimestamp(ts), parseTimestampGeneric(ts)), ts);
  }
});

test('the ISO fast path gives what the generic parser gives on mutated and simulated timestamps', () => {
  const rng = new Rng(12, 1);
  const alphabet = '0123456789-:.TZ+ z/\u0660x';
  const sim = manyKeysConfig({ keys: 50, totalRatePerMinute: 500, spanMs: 3_600_000, seed: 5, startMs: START });
  let n = 0;
  for (const m of generateMentions(sim, START + 3_600_000)) {
    if (++n > 20_000) break;
    const ts = String(m.ts);
    assert.ok(same(parseTimestamp(ts), parseTimestampGeneric(ts)), ts);
    // One to three characters replaced, dropped or inserted.
    let mutated = ts;
    for (let k = 1 + rng.int(3); k > 0; k--) {
      const at = rng.int(mutated.length + 1);
      const c = alphabet[rng.int(alphabet.length)]!;
      const op = rng.int(3);
      mutated = op === 0 ? mutated.slice(0, at) + c + mutated.slice(at + 1) : op === 1 ? mutated.slice(0, at) + mutated.slice(at + 1) : mutated.slice(0, at) + c + mutated.slice(at);
    }
    assert.ok(same(parseTimestamp(mutated), parseTimestampGeneric(mutated)), mutated);
  }
});

test("the simulator's corrupted lines are accepted and rejected as by the generic timestamp parser", () => {
  const rng = new Rng(13, 7);
  const sim = manyKeysConfig({ keys: 20, totalRatePerMinute: 300, spanMs: 3_600_000, seed: 6, startMs: START });
  const options = { maxBytes: 1 << 20, maxFutureMs: 60_000, maxPastMs: 86_400_000 };
  let n = 0;
  let checked = 0;
  for (const m of generateMentions(sim, START + 3_600_000)) {
    if (++n > 5_000) break;
    const line = corruptMention(m, rng).line;
    const result = parseMention(line, options);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      assert.equal(result.ok, false);
      continue;
    }
    const ts = (value as { ts?: unknown } | null)?.ts;
    if (typeof ts !== 'string') continue;
    checked++;
    const generic = parseTimestampGeneric(ts);
    if (result.ok) assert.equal(result.mention.tsMs, generic, ts);
    else if (result.reason === 'bad_timestamp') assert.ok(Number.isNaN(generic) || generic < Date.UTC(2000, 0, 1) || generic >= Date.UTC(2100, 0, 1), ts);
  }
  assert.ok(checked > 1000, `only ${checked} corrupted lines had a string timestamp`);
});
