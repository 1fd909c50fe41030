import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repeatedText } from '../../../../src/detect/classifier/retweet.js';

test('a retweet or quote repeats its original text; other texts are left as they are', () => {
  assert.equal(repeatedText('RT @jenna_k: Globex charged me twice'), 'Globex charged me twice');
  assert.equal(repeatedText('rt @a.b RT @cnn: Explosion at the plant'), 'Explosion at the plant');
  assert.equal(repeatedText('Globex charged me twice'), 'Globex charged me twice');
  assert.equal(repeatedText('ART @home: not a retweet'), 'ART @home: not a retweet');
  assert.equal(repeatedText('RT @x:'), '');
});
