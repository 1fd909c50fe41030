import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, in the manner of Stripe's: the receiver gets the send time and an
 * HMAC-SHA256 of `<timestamp>.<body>` under the target's shared secret, so it can check both that
 * the body came from us unchanged and that it is recent (a captured request replayed later fails
 * the window). docs/webhooks.md shows a receiver.
 */
export const TIMESTAMP_HEADER = 'stormwatch-timestamp';
export const SIGNATURE_HEADER = 'stormwatch-signature';
/** The signature scheme's name in the header (`v1=<hex>`), so a later scheme can be sent beside it. */
const SCHEME = 'v1';
/** How old a signed request a receiver should still accept. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

function digest(secret: string, timestampS: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** The two headers for `body` sent at `nowMs`. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestampS = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestampS), [SIGNATURE_HEADER]: `${SCHEME}=${digest(secret, timestampS, body)}` };
}

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'stale' | 'mismatch';

/** A receiver's check of a request: headers as received, the raw body, its own clock. */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs: number,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): SignatureCheck {
  if (headers.timestamp === undefined || headers.signature === undefined) return 'missing';
  if (!/^\d{1,15}$/.test(headers.timestamp)) return 'malformed';
  const timestampS = Number(headers.timestamp);
  if (Math.abs(nowMs - timestampS * 1000) > toleranceMs) return 'stale';
  const expected = Buffer.from(digest(secret, timestampS, body), 'hex');
  // Any v1 entry may match (a comma-separated list lets the sender rotate secrets).
  for (const part of headers.signature.split(',')) {
    const [scheme, hex] = part.trim().split('=', 2);
    if (scheme !== SCHEME || hex === undefined || !/^[0-9a-f]{64}$/.test(hex)) continue;
    if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) return 'ok';
  }
  return /(^|,)\s*v1=[0-9a-f]{64}\s*($|,)/.test(headers.signature) ? 'mismatch' : 'malformed';
}
