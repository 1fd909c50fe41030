import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signatureHeaders, verifySignature } from '../../../../src/sinks/webhook/signature.js';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');
const BODY = '{"type":"storm.started"}';

test('the signature is HMAC-SHA256 of "<unix seconds>.<body>", hex, as v1=', () => {
  // echo -n '1767225600.{"type":"storm.started"}' | openssl dgst -sha256 -hmac secret
  assert.deepEqual(signatureHeaders('secret', BODY, NOW + 999), {
    'stormwatch-timestamp': '1767225600',
    'stormwatch-signature': 'v1=6d9e356105b1e5a590579f3db2aec3f4240c5eb75457b5dc0360061f52a7192d',
  });
});

test('a receiver accepts its own signature within the window and refuses the rest', () => {
  const h = signatureHeaders('secret', BODY, NOW);
  const headers = { timestamp: h['stormwatch-timestamp'], signature: h['stormwatch-signature'] };
  assert.equal(verifySignature('secret', headers, BODY, NOW + 299_000), 'ok');
  assert.equal(verifySignature('secret', headers, BODY, NOW + 301_000), 'stale', 'replayed after the window');
  assert.equal(verifySignature('secret', headers, BODY, NOW - 301_000), 'stale', 'from the future');
  assert.equal(verifySignature('secret', headers, BODY + ' ', NOW), 'mismatch', 'body changed');
  assert.equal(verifySignature('other', headers, BODY, NOW), 'mismatch', 'another secret');
  assert.equal(verifySignature('secret', { ...headers, timestamp: String(NOW / 1000 + 1) }, BODY, NOW), 'mismatch', 'timestamp changed');
  assert.equal(verifySignature('secret', { ...headers, signature: `v0=abc, ${headers.signature}` }, BODY, NOW), 'ok', 'a list: any v1 entry may match');
  assert.equal(verifySignature('secret', { ...headers, signature: 'v1=xyz' }, BODY, NOW), 'malformed');
  assert.equal(verifySignature('secret', { ...headers, timestamp: '1e9' }, BODY, NOW), 'malformed');
  assert.equal(verifySignature('secret', { timestamp: undefined, signature: headers.signature }, BODY, NOW), 'missing');
});
