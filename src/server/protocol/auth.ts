import { createHash, timingSafeEqual } from 'node:crypto';
import { BEARER_SUBPROTOCOL_PREFIX } from './messages.js';

/** What an upgrade request presents as a token, wherever it is (first found wins). */
export interface TokenCarrier {
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The token a request presents: `?token=`, `Authorization: Bearer <token>`, or a
 * `bearer.<token>` entry in `Sec-WebSocket-Protocol` (browsers cannot set headers on a websocket).
 */
export function presentedToken(request: TokenCarrier): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  if (query !== undefined && typeof query.token === 'string' && query.token !== '') return query.token;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',')) {
      const name = p.trim();
      if (name.startsWith(BEARER_SUBPROTOCOL_PREFIX) && name.length > BEARER_SUBPROTOCOL_PREFIX.length) return name.slice(BEARER_SUBPROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison; with no token configured everything is allowed. */
export function tokenAccepted(configured: string, presented: string | undefined): boolean {
  if (configured === '') return true;
  if (presented === undefined) return false;
  return timingSafeEqual(digest(configured), digest(presented));
}
