import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RawData, WebSocket } from 'ws';
import type { Config } from '../config/schema.js';
import type { ClassificationEvent } from '../events/classification.js';
import { FeedClient } from './feed-client.js';
import { presentedToken, tokenAccepted } from './protocol/auth.js';
import { Filter } from './protocol/filter.js';
import { FeedHistory, type FeedEntry } from './protocol/history.js';
import {
  CloseCode,
  eventMessage,
  parseClientMessage,
  PROTOCOL_VERSION,
  type DisconnectReason,
  type ResyncReason,
  type ServerMessage,
  type SubscribeMessage,
} from './protocol/messages.js';

/** WebSocket readyState OPEN (the `ws` constant, without importing the runtime module). */
const OPEN = 1;
/** How long a closing client has to complete the close handshake before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/** What the hub tells its observers (metrics, logs). */
export interface FeedHubEvents {
  connected: [clients: number];
  /** A client left or was closed by the server, and why. */
  disconnected: [clients: number, reason: DisconnectReason];
  /** A slow client was cut (4409); `dropped` messages were still queued for it. */
  slowClient: [clientId: number, dropped: number];
  /** Messages queued for a client that was cut and never sent. */
  dropped: [clientId: number, count: number];
  /** A subscribe with resumeFrom: served from history, or answered with a resync. */
  resume: [outcome: 'resumed' | 'resync'];
  sendError: [clientId: number, error: Error];
  /** A client sent a frame the websocket protocol forbids (`code` is ws's WS_ERR_*); it was closed. */
  clientFault: [clientId: number, code: string, message: string];
}

/** The hub's settings: the `feed` config section (docs/websocket.md; defaults in config/schema.ts). */
export type FeedHubOptions = Omit<Config['feed'], 'recentEpisodes'>;

interface ActiveEpisode {
  seq: number;
  event: ClassificationEvent;
  peakSeverity: number;
}

/**
 * The websocket feed (docs/websocket.md): numbers every classification event with one feed
 * sequence, keeps a bounded history for clients that resume and the latest event of each active
 * episode for snapshots, and delivers to each client what its subscription asks for through the
 * client's bounded queue. `broadcast(event)` is the one entry point for the event stream; it
 * never waits for a client: a client whose queue overflows is closed with 4409 and counted.
 */
export class FeedHub extends EventEmitter<FeedHubEvents> {
  /** Random per process start: a client that sees another feedId knows sequences restarted. */
  readonly feedId = randomBytes(8).toString('hex');
  private readonly clients = new Map<number, FeedClient>();
  private readonly history: FeedHistory;
  private readonly active = new Map<string, ActiveEpisode>();
  private readonly now: () => number;
  private readonly heartbeat: NodeJS.Timeout;
  private lastSeq = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    readonly options: FeedHubOptions,
    /** Wall clock (tests). */
    now: () => number = Date.now,
  ) {
    super();
    this.now = now;
    this.history = new FeedHistory(this.options.historySize);
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** The latest `limit` events kept for resuming clients, oldest first (the page's timeline when it opens). */
  recentEvents(limit: number): ClassificationEvent[] {
    return [...this.history.after(Math.max(0, this.lastSeq - limit))].map((entry) => entry.event);
  }

  /** The sequence of the latest event (0 before the first). Resets when the process restarts. */
  get seq(): number {
    return this.lastSeq;
  }

  /**
   * Adopts a connected socket; `token` is what the request presented. Listeners are attached
   * synchronously, before any await. Returns undefined when the client was refused (and closed).
   */
  add(socket: WebSocket, presented: { token?: string | undefined } = {}): FeedClient | undefined {
    if (this.closed) return this.refuse(socket, CloseCode.goingAway, 'server shutting down', 'shutdown');
    if (!tokenAccepted(this.options.token, presented.token)) return this.refuse(socket, CloseCode.unauthorized, 'unauthorized', 'unauthorized');
    if (this.clients.size >= this.options.maxClients) return this.refuse(socket, CloseCode.tooManyClients, 'too many clients', 'too_many_clients');

    const client = new FeedClient(this.nextId++, socket, this.options, this.now());
    this.clients.set(client.id, client);
    socket.on('close', () => this.forget(client, 'client_closed'));
    socket.on('error', (error: Error & { code?: string }) => this.socketError(client, error));
    socket.on('pong', () => (client.lastSeenMs = this.now()));
    socket.on('message', (data: RawData, isBinary: boolean) => this.receive(client, data, isBinary));
    this.emit('connected', this.clients.size);

    const o = this.options;
    this.sendTo(client, {
      kind: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      feedId: this.feedId,
      seq: this.lastSeq,
      serverTime: new Date(this.now()).toISOString(),
      heartbeatMs: o.heartbeatMs,
      idleTimeoutMs: o.idleTimeoutMs,
      historySize: o.historySize,
      subscribeGraceMs: o.subscribeGraceMs,
      maxMessageBytes: o.maxMessageBytes,
    });
    if (o.subscribeGraceMs === 0) this.subscribe(client, { kind: 'subscribe' });
    else {
      client.graceTimer = setTimeout(() => {
        if (client.state === 'pending') this.subscribe(client, { kind: 'subscribe' });
      }, o.subscribeGraceMs);
      client.graceTimer.unref();
    }
    return client;
  }

  /** Numbers an event, keeps it for snapshots and resumes, and queues it for every matching client. */
  broadcast(event: ClassificationEvent): void {
    const seq = ++this.lastSeq;
    const previous = this.active.get(event.episodeId);
    const peakSeverity = Math.max(previous?.peakSeverity ?? 0, event.severity, event.postMortem?.peakSeverity ?? 0);
    if (event.type.endsWith('.ended')) this.active.delete(event.episodeId);
    else this.active.set(event.episodeId, { seq, event, peakSeverity });
    const entry: FeedEntry = { seq, event, peakSeverity, data: eventMessage(seq, event) };
    this.history.push(entry);
    for (const client of this.clients.values()) {
      if (client.state === 'live' && client.filter.matches(event, peakSeverity)) this.deliver(client, entry.data);
    }
  }

  /**
   * Keys that moved to another instance: their episodes leave this feed's snapshots (clients of
   * several instances aggregate by episodeId, docs/websocket.md). No event: the episode goes on.
   */
  retract(keys: ReadonlySet<string>): void {
    for (const [id, active] of this.active) if (keys.has(active.event.key)) this.active.delete(id);
  }

  /** Open episodes taken over with their keys: in the snapshots from now on, not broadcast again. */
  inherit(events: readonly ClassificationEvent[]): void {
    for (const event of events) if (!this.active.has(event.episodeId)) this.active.set(event.episodeId, { seq: this.lastSeq, event, peakSeverity: event.severity });
  }

  /** Closes every client (1001 going away) and refuses new ones. Idempotent. */
  closeAll(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const client of [...this.clients.values()]) this.close(client, CloseCode.goingAway, 'server shutting down', 'shutdown');
  }

  private receive(client: FeedClient, data: RawData, isBinary: boolean): void {
    client.lastSeenMs = this.now();
    if (client.state === 'closed') return;
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    // The websocket layer refuses far larger frames itself (1009) before reading them; see app.ts.
    if (bytes > this.options.maxMessageBytes) {
      this.close(client, CloseCode.messageTooBig, 'message too big', 'message_too_big');
      return;
    }
    if (isBinary) {
      this.sendTo(client, { kind: 'error', code: 'invalid_message', message: 'binary messages are not part of the protocol; send JSON text' });
      return;
    }
    const parsed = parseClientMessage(toBuffer(data).toString('utf8'));
    if (!parsed.ok) {
      this.sendTo(client, { kind: 'error', code: parsed.code, message: parsed.message });
      return;
    }
    const message = parsed.message;
    if (message.kind === 'ping') {
      this.sendTo(client, { kind: 'pong', seq: this.lastSeq, serverTime: new Date(this.now()).toISOString(), ...(message.id !== undefined ? { id: message.id } : {}) });
      return;
    }
    this.subscribe(client, message);
  }

  /**
   * Starts or replaces a client's subscription: `subscribed`, then either the events it missed
   * since `resumeFrom` (from history), or a `resync` when they are gone, or a `snapshot`; then live
   * events from there on. Runs synchronously, so no event falls between the two.
   */
  private subscribe(client: FeedClient, message: SubscribeMessage): void {
    if (client.graceTimer !== undefined) clearTimeout(client.graceTimer);
    client.filter = Filter.from(message);
    client.state = 'live';
    const seq = this.lastSeq;
    let resync: ResyncReason | undefined;
    if (message.resumeFrom !== undefined) {
      resync = this.resumeProblem(message.resumeFrom, message.feedId);
      this.emit('resume', resync === undefined ? 'resumed' : 'resync');
    }
    const mode = message.resumeFrom === undefined ? 'snapshot' : resync === undefined ? 'resume' : 'resync';
    if (!this.sendTo(client, { kind: 'subscribed', filter: client.filter.view(), mode, seq })) return;
    if (mode === 'resume') {
      for (const entry of this.history.after(message.resumeFrom!)) {
        if (client.filter.matches(entry.event, entry.peakSeverity) && !this.deliver(client, entry.data)) return;
      }
      return;
    }
    if (resync !== undefined) {
      const fromSeq = this.history.oldestSeq() ?? seq + 1;
      if (!this.sendTo(client, { kind: 'resync', reason: resync, fromSeq, seq })) return;
    }
    const episodes = [...this.active.values()]
      .filter((a) => client.filter.matchesEpisode(a.event, a.peakSeverity))
      .sort((a, b) => b.event.severity - a.event.severity || a.seq - b.seq)
      .map((a) => a.event);
    this.sendTo(client, { kind: 'snapshot', seq, episodes });
  }

  /** Why the events after `resumeFrom` cannot be replayed, or undefined when they can. */
  private resumeProblem(resumeFrom: number, feedId: string | undefined): ResyncReason | undefined {
    if (feedId !== undefined && feedId !== this.feedId) return 'feed_restarted';
    if (resumeFrom > this.lastSeq) return 'unknown_seq';
    if (resumeFrom === this.lastSeq) return undefined;
    const oldest = this.history.oldestSeq();
    if (oldest === undefined || oldest > resumeFrom + 1) return 'history_gone';
    return undefined;
  }

  /** Frames a client got wrong close it (ws has already answered with 1002, 1007 or 1009). */
  private socketError(client: FeedClient, error: Error & { code?: string }): void {
    const code = error.code;
    if (!isProtocolFault(error) || code === undefined) {
      this.emit('sendError', client.id, error);
      return;
    }
    if (this.forget(client, code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'message_too_big' : 'protocol_error')) this.emit('clientFault', client.id, code, error.message);
  }

  private sendTo(client: FeedClient, message: ServerMessage): boolean {
    return this.deliver(client, JSON.stringify(message));
  }

  /** Queues a message for a client; cuts the client (4409) when its queue is over its bounds. */
  private deliver(client: FeedClient, data: string): boolean {
    if (client.state === 'closed') return false;
    let ok: boolean;
    try {
      ok = client.enqueue(data);
    } catch (error) {
      this.emit('sendError', client.id, error as Error);
      return false;
    }
    if (ok) return true;
    const dropped = client.discard() + 1;
    this.emit('dropped', client.id, dropped);
    this.emit('slowClient', client.id, dropped);
    this.close(client, CloseCode.slowConsumer, 'slow consumer', 'slow_consumer');
    return false;
  }

  /** Heartbeat round: idle clients are closed (4408); the others get a ping and a `heartbeat`. */
  private beat(): void {
    const now = this.now();
    const serverTime = new Date(now).toISOString();
    for (const client of [...this.clients.values()]) {
      if (now - client.lastSeenMs > this.options.idleTimeoutMs) {
        this.close(client, CloseCode.idleTimeout, 'idle timeout', 'idle_timeout');
        continue;
      }
      try {
        if (client.socket.readyState === OPEN) client.socket.ping();
      } catch (error) {
        this.emit('sendError', client.id, error as Error);
      }
      this.sendTo(client, { kind: 'heartbeat', seq: this.lastSeq, serverTime });
    }
  }

  private refuse(socket: WebSocket, code: number, reason: string, why: DisconnectReason): undefined {
    closeSocket(socket, code, reason);
    this.emit('disconnected', this.clients.size, why);
    return undefined;
  }

  private close(client: FeedClient, code: number, reason: string, why: DisconnectReason): void {
    if (!this.forget(client, why)) return;
    client.discard();
    closeSocket(client.socket, code, reason);
  }

  /** Removes a client once; returns whether it was still there. */
  private forget(client: FeedClient, why: DisconnectReason): boolean {
    client.state = 'closed';
    if (client.graceTimer !== undefined) clearTimeout(client.graceTimer);
    if (!this.clients.delete(client.id)) return false;
    this.emit('disconnected', this.clients.size, why);
    return true;
  }
}

/** A websocket protocol violation by the peer (ws's WS_ERR_* codes), as opposed to our own failure. */
function isProtocolFault(error: Error & { code?: string }): boolean {
  return typeof error.code === 'string' && error.code.startsWith('WS_ERR_');
}

/** The peer broke the protocol or the connection: nothing on our side to report beyond a count. */
export function isClientFault(error: Error & { code?: string }): boolean {
  return isProtocolFault(error) || CONNECTION_ERRORS.has(error.code ?? '');
}
const CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Close with a code; a peer that does not finish the handshake is terminated after a grace. */
function closeSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
    // A client that never answers the close handshake would hold the process for 30 s.
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  } catch {
    socket.terminate();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    feed: FeedHub;
  }
}

export interface FeedHubPluginOptions {
  hub: FeedHub;
  /** Route of the websocket endpoint. */
  path?: string;
}

const feedHubPluginAsync: FastifyPluginAsync<FeedHubPluginOptions> = async (app: FastifyInstance, options) => {
  const hub = options.hub;
  app.decorate('feed', hub);
  app.get(options.path ?? '/ws', { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    hub.add(socket, { token: presentedToken(request) });
  });
  // Without closing clients, app.close() would wait for them (fastify-websocket issue #45).
  app.addHook('preClose', async () => {
    hub.closeAll();
  });
};

/** Registers the /ws route on an app and exposes the hub as `app.feed`. Needs @fastify/websocket. */
export const feedHubPlugin = fp(feedHubPluginAsync, {
  name: 'stormwatch-feed-hub',
  fastify: '5.x',
  dependencies: ['@fastify/websocket'],
});
