import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unreadScript } from '../../../src/detect/script.js';

test('a text mostly in a script we do not read is unread; links, @handles and the RT marker do not count as Latin', () => {
  // Real tweets of the Chelyabinsk meteor stream (CrisisLexT26), tagged "en" by their collection.
  assert.equal(unreadScript('RT @kalininru: В Челябинске всё нормально! Берем интервью у очевидцев события! #Челябинск #метеорит #chelly http://t.co/YrRxaGyk'), true);
  assert.equal(unreadScript('RT @buzlol: #челябинск http://t.co/vDCfVb5Y'), true);
  assert.equal(unreadScript('RT @RT_com: BREAKING: Explosions over Russia’s Urals region, reportedly a meteor shower'), false);
  assert.equal(unreadScript('حريق في المصنع'), true);
  assert.equal(unreadScript('Σεισμός στην Αθήνα'), true);
  assert.equal(unreadScript('ไฟไหม้ที่โรงงาน'), true);
  // Links in any case or in brackets, and separators the tokenizer splits on, are not Latin text.
  assert.equal(unreadScript('Взрыв на заводе (HTTPS://t.co/AbCdEfGh)'), true);
  assert.equal(unreadScript('http://t.co/x\u2028Привет всем, взрыв на заводе'), true);
  // Vowel signs are the script's letters: 7 letters and marks of Devanagari against 4 Latin.
  assert.equal(unreadScript('आग लगी fire'), true);
});

test('Latin-script text, mixed text with more Latin letters, emoji and empty text are read', () => {
  assert.equal(unreadScript('Flight delayed again @united, 3 hours on the tarmac https://t.co/abc'), false);
  assert.equal(unreadScript('Déjà vu: l’avion est encore en retard, très énervé'), false);
  assert.equal(unreadScript('東京で地震 #earthquake'), false, '5 letters against 10');
  assert.equal(unreadScript('😢😢🙏'), false);
  assert.equal(unreadScript('12:30 !!!'), false);
  assert.equal(unreadScript(''), false);
});
