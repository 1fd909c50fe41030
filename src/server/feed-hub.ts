import { EventEmitter } from 'node:events';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import type { ClassificationEvent } from '../events/classification.js';

/** WebSocket readyState OPEN (the `ws` constant, without importing the runtime module). */
const OPEN = 1;
/** How long a closing client has to complete the close handshake. */
const CLOSE_GRACE_MS = 1000;

/** What the hub tells its observers (metrics, logs). */
export interface FeedHubEvents {
  connected: [clients: number];
  disconnected: [clients: number];
  /** A message was not sent to a client because it was too far behind. */
  dropped: [clientId: number];
  sendError: [clientId: number, error: Error];
}

export interface FeedHubOptions {
  /** A client with more than this many bytes still queued misses the message. */
  maxBufferedBytes?: number;
}

/** One connected websocket client. The place to grow per-client filters, queues and resume. */
export class FeedClient {
  dropped = 0;
  sent = 0;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {}

  /** Sends one message unless the client is closed or behind; returns whether it was sent. */
  send(data: string): boolean {
    if (this.socket.readyState !== OPEN) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.dropped++;
      return false;
    }
    this.socket.send(data);
    this.sent++;
    return true;
  }
}

/**
 * Tracks websocket clients and broadcasts classification events to them, one JSON event per
 * message. Never blocks the pipeline: a slow client (too many bytes buffered) misses events,
 * and the drop is counted. `broadcast(event)` is the one entry point for the event stream.
 */
export class FeedHub extends EventEmitter<FeedHubEvents> {
  private readonly clients = new Map<number, FeedClient>();
  private readonly maxBufferedBytes: number;
  private nextId = 1;
  private closed = false;

  constructor(options: FeedHubOptions = {}) {
    super();
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Adopts a connected socket. Listeners are attached synchronously, before any await. */
  add(socket: WebSocket): FeedClient {
    const client = new FeedClient(this.nextId++, socket, this.maxBufferedBytes);
    if (this.closed) {
      socket.close(1001, 'server shutting down');
      return client;
    }
    this.clients.set(client.id, client);
    socket.on('close', () => {
      if (this.clients.delete(client.id)) this.emit('disconnected', this.clients.size);
    });
    socket.on('error', (error) => this.emit('sendError', client.id, error));
    // Clients send nothing yet; incoming messages are ignored (a later protocol adds subscribe).
    socket.on('message', () => undefined);
    this.emit('connected', this.clients.size);
    return client;
  }

  broadcast(event: ClassificationEvent): void {
    if (this.clients.size === 0) return;
    this.send(JSON.stringify(event));
  }

  /** Sends one serialized message to every client; returns how many got it. */
  send(data: string): number {
    let sent = 0;
    for (const client of this.clients.values()) {
      try {
        if (client.send(data)) sent++;
        else if (client.socket.readyState === OPEN) this.emit('dropped', client.id);
      } catch (error) {
        this.emit('sendError', client.id, error as Error);
      }
    }
    return sent;
  }

  /** Closes every client (1001 going away) and refuses new ones. Idempotent. */
  closeAll(): void {
    this.closed = true;
    for (const client of this.clients.values()) {
      const socket = client.socket;
      try {
        socket.close(1001, 'server shutting down');
        // A client that never answers the close handshake would hold the process for 30 s.
        setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
      } catch {
        socket.terminate();
      }
    }
    this.clients.clear();
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
  app.get(options.path ?? '/ws', { websocket: true }, (socket) => {
    hub.add(socket);
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
