import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlarmModel } from '../../../../src/detect/alarm/alarm-model.js';
import { AlarmScorer, alarmed } from '../../../../src/detect/alarm/alarm-scorer.js';
import { deriveParams } from '../../../../src/detect/params.js';
import { detectionConfig } from '../../../support/detection.js';

const scorer = new AlarmScorer();

test('harm and alarm words in every supported language, inflected and without accents', () => {
  const harm: [string, number][] = [
    ['Explosion at the refinery, many injured and 3 dead', 3],
    ['BREAKING: shooting at LAX terminal 3, airport evacuated', 3],
    ['Explosión en la refinería: hay heridos y muertos', 3],
    ['Incêndio na boate deixa vítimas', 2],
    ['Terremoto in Emilia, crolli e feriti', 3],
    ['Fusillade à l’aéroport, plusieurs blessés', 2],
    ['Störung bei der Bahn, Zug entgleist', 2],
    ['Storing bij de bank, datalek bevestigd', 2],
    ['Massive outage again, and now a data breach? Lawsuit incoming. #boycott', 4],
    ['Typhoon makes landfall: storm surge and landslides, evacuees in schools', 4],
    ['Cientos de damnificados por el huracán, dos ahogados', 3],
    // Tagalog (no sentiment model; Philippine crisis streams mix it with English).
    ['Grabe ang baha dito, may nasawi at mga sugatan sa lindol', 4],
  ];
  for (const [text, n] of harm) assert.equal(scorer.score(text).harm, n, text);
});

test('sympathy marks a crisis whatever its valence; hashtags are searched inside', () => {
  assert.deepEqual(scorer.score('Praying for everyone at LAX, thoughts with the families'), { harm: 0, sympathy: 2 });
  assert.deepEqual(scorer.score('RIP to the victims. Rest in peace'), { harm: 1, sympathy: 3 });
  assert.deepEqual(scorer.score('#PrayForSantaMaria'), { harm: 0, sympathy: 1 });
  assert.equal(scorer.score('#LAXshooting update').harm, 1);
  assert.equal(alarmed(scorer.score('Descanse en paz')), true);
  assert.deepEqual(scorer.score('Ipagdasal natin ang mga biktima'), { harm: 0, sympathy: 1 });
});

test('everyday brand talk, complaints and look-alike words are not alarm', () => {
  for (const text of [
    'Love the new phone, great camera',
    'My flight was delayed two hours and the crew was rude',
    'Exploring the new brand store in Utrecht',
    'Best burger in town, the sauce is fire-roasted',
    'Sue and I waited at gate 12',
    'Stranded at the gate again, no blackout dates my foot',
    'A storm of praise for the new design after our brainstorm',
    '',
  ]) {
    const r = scorer.score(text);
    assert.equal(r.harm + r.sympathy, text.includes('fire') ? 1 : 0, text);
  }
});

test("a key's usual alarm share is learned while calm only, from a low prior", () => {
  const c = deriveParams(detectionConfig({}));
  const m = new AlarmModel();
  assert.equal(m.usualShare(), 0.05);
  m.learn(100, 40, false, c);
  assert.equal(m.usualShare(), 0.05, 'a storm does not become normal');
  m.learn(80, 40, true, c);
  assert.equal(m.usualShare(), (40 + 1) / (80 + 20));
  const out = m.assess(50, 25, { share: 0, low: 0, usualShare: 0 });
  assert.equal(out.share, 0.5);
  assert.ok(out.low > 0.36 && out.low < 0.37, `Wilson lower bound ${out.low}`);
});
