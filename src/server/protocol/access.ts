import { isIP } from 'node:net';

/**
 * Which `Host` and `Origin` headers the server answers (docs/websocket.md "Access"). The Host
 * check stops DNS rebinding: a page on an attacker's name that resolves to this machine sends that
 * name as Host. The Origin check stops cross-site websocket hijacking: a browser sends the page's
 * origin with every websocket handshake, and a page on another origin must not read the feed,
 * token or no token. Clients that send no Origin are not browsers and cannot be hijacked this way.
 */
export interface AccessPolicy {
  /** Hostnames answered besides the loopback names; `*`: any. Lower case, no port, no brackets. */
  readonly hosts: ReadonlySet<string>;
  /** Origins (scheme://host[:port]) a browser page may connect to /ws from besides its own; `*`: any. */
  readonly origins: ReadonlySet<string>;
}

export type AccessRefusal = 'host_not_allowed' | 'origin_not_allowed';
export const accessRefusals: readonly AccessRefusal[] = ['host_not_allowed', 'origin_not_allowed'];

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);

export interface AccessPolicyInput {
  /** `server.host`: the bound address. */
  boundHost: string;
  /** The machine's interface addresses: what a client reaches when boundHost is a wildcard. */
  interfaceAddresses: readonly string[];
  /** `server.allowedHosts`. */
  allowedHosts: readonly string[];
  /** `server.allowedOrigins`. */
  allowedOrigins: readonly string[];
}

export function accessPolicy(input: AccessPolicyInput): AccessPolicy {
  const hosts = new Set(input.allowedHosts.map((h) => unbracket(h.toLowerCase())));
  const bound = unbracket(input.boundHost.toLowerCase());
  if (WILDCARD_ADDRESSES.has(bound)) for (const address of input.interfaceAddresses) hosts.add(address.toLowerCase());
  else hosts.add(bound);
  const origins = new Set(input.allowedOrigins.map((o) => (o === '*' ? o : normalizedOrigin(o) ?? o)));
  return { hosts, origins };
}

/** The origin `scheme://host[:port]` of a URL string, as a browser serializes it; undefined when it is none. */
export function normalizedOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.origin === 'null' || (url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '') return undefined;
  return url.origin;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** host[:port], the host a name, an IPv4 address or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^\s/\\@?#[\]:]+)(?::\d{1,5})?$/i;

/** The hostname of a Host header: lower case, without port, brackets or a trailing dot; undefined when malformed. */
export function hostnameOf(host: string | undefined): string | undefined {
  const match = host === undefined ? null : HOST_HEADER.exec(host);
  return match === null ? undefined : unbracket(match[1]!.toLowerCase()).replace(/\.$/, '');
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '::1') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/** No Host at all (HTTP/1.0) is allowed: a browser, and so a rebinding page, always sends one. */
export function hostAllowed(policy: AccessPolicy, hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return true;
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return false;
  return isLoopback(hostname) || policy.hosts.has('*') || policy.hosts.has(hostname);
}

/**
 * An Origin is allowed when absent (not a browser), when it is the page this server served (its
 * host:port is the request's Host), or when listed. `null` (sandboxed frames, files) never is.
 */
export function originAllowed(policy: AccessPolicy, origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  const normalized = normalizedOrigin(origin);
  if (normalized === undefined) return false;
  if (policy.origins.has('*') || policy.origins.has(normalized)) return true;
  if (hostHeader === undefined) return false;
  const scheme = normalized.slice(0, normalized.indexOf('://') + 3);
  return normalizedOrigin(`${scheme}${hostHeader}`) === normalized;
}
