import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { classificationTypes, type ClassificationEvent, type ClassificationType } from '../../events/classification.js';

/**
 * The websocket feed protocol (docs/websocket.md): JSON text messages, each with a `kind`.
 * Bumped when a change could break a client; new message kinds and new fields do not bump it.
 */
export const PROTOCOL_VERSION = 1;
/** The subprotocol name a client may offer (the server selects it when offered). */
export const SUBPROTOCOL = 'stormwatch.v1';
/** Prefix of the subprotocol entry that carries the token (`bearer.<token>`), for browsers. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';

/** Close codes the server uses; docs/websocket.md lists them. */
export const CloseCode = {
  goingAway: 1001,
  unauthorized: 4401,
  idleTimeout: 4408,
  slowConsumer: 4409,
  messageTooBig: 4413,
  tooManyClients: 4429,
} as const;

/** Why a client left: a closed set (the `reason` label of stormwatch_ws_disconnects_total). */
export const disconnectReasons = [
  'client_closed',
  'slow_consumer',
  'idle_timeout',
  'unauthorized',
  'too_many_clients',
  'message_too_big',
  'protocol_error',
  'shutdown',
] as const;
export type DisconnectReason = (typeof disconnectReasons)[number];

/** `code` of an `error` message: a closed set. The connection stays open after one. */
export const errorCodes = ['invalid_json', 'invalid_message'] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Why a resume could not be served: `reason` of a `resync` message. */
export const resyncReasons = ['history_gone', 'feed_restarted', 'unknown_seq'] as const;
export type ResyncReason = (typeof resyncReasons)[number];

const MAX_FILTER_ITEMS = 1000;

export const SubscribeSchema = Type.Object(
  {
    kind: Type.Literal('subscribe'),
    keys: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: MAX_FILTER_ITEMS, description: 'only these keys; absent or empty: every key' })),
    types: Type.Optional(Type.Array(Type.Union(classificationTypes.map((t) => Type.Literal(t))), { maxItems: classificationTypes.length * 2, description: 'only these event types; absent or empty: every type' })),
    minSeverity: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'an episode enters the view once its severity reaches this; then all its events are delivered' })),
    resumeFrom: Type.Optional(Type.Integer({ minimum: 0, description: 'the last seq this client processed' })),
    feedId: Type.Optional(Type.String({ maxLength: 64, description: 'the feedId of the hello that seq came from' })),
  },
  { additionalProperties: false },
);
export type SubscribeMessage = Static<typeof SubscribeSchema>;

export const PingSchema = Type.Object(
  {
    kind: Type.Literal('ping'),
    id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description: 'echoed in the pong' })),
  },
  { additionalProperties: false },
);
export type PingMessage = Static<typeof PingSchema>;

export const ClientMessageSchema = Type.Union([SubscribeSchema, PingSchema]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

const clientMessageChecker = TypeCompiler.Compile(ClientMessageSchema);
const subscribeChecker = TypeCompiler.Compile(SubscribeSchema);
const pingChecker = TypeCompiler.Compile(PingSchema);

export type ParsedClientMessage = { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; message: string };

/** Parses one client text message; bad input is data (an `error` reply), never an exception. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'not JSON' };
  }
  if (clientMessageChecker.Check(value)) return { ok: true, message: value };
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  const checker = kind === 'subscribe' ? subscribeChecker : kind === 'ping' ? pingChecker : undefined;
  if (checker === undefined) return { ok: false, code: 'invalid_message', message: `unknown kind ${JSON.stringify(kind ?? null)}; expected subscribe or ping` };
  const first = checker.Errors(value).First();
  return { ok: false, code: 'invalid_message', message: `${kind}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'invalid'}` };
}

/** The normalized filter a `subscribed` message echoes. */
export interface FilterView {
  keys: string[];
  types: ClassificationType[];
  minSeverity: number;
}

/** Every message the server sends, by kind. */
export interface ServerMessages {
  hello: {
    kind: 'hello';
    protocolVersion: number;
    feedId: string;
    seq: number;
    serverTime: string;
    heartbeatMs: number;
    idleTimeoutMs: number;
    historySize: number;
    subscribeGraceMs: number;
    maxMessageBytes: number;
  };
  subscribed: { kind: 'subscribed'; filter: FilterView; mode: 'snapshot' | 'resume' | 'resync'; seq: number };
  snapshot: { kind: 'snapshot'; seq: number; episodes: ClassificationEvent[] };
  event: { kind: 'event'; seq: number; event: ClassificationEvent };
  resync: { kind: 'resync'; reason: ResyncReason; fromSeq: number; seq: number };
  heartbeat: { kind: 'heartbeat'; seq: number; serverTime: string };
  pong: { kind: 'pong'; seq: number; serverTime: string; id?: string | number };
  error: { kind: 'error'; code: ErrorCode; message: string };
}
export type ServerMessage = ServerMessages[keyof ServerMessages];

/** Serializes an event message once; every client gets the same string. */
export function eventMessage(seq: number, event: ClassificationEvent): string {
  return `{"kind":"event","seq":${seq},"event":${JSON.stringify(event)}}`;
}
