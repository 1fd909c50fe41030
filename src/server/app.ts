import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging.js';
import type { Readiness } from '../service.js';
import type { EpisodeBoard } from '../sinks/episode-board.js';
import { feedHubPlugin, type FeedHub } from './feed-hub.js';
import { defaultPublicDir, registerLivePage } from './live-page.js';
import { presentedToken, tokenAccepted } from './protocol/auth.js';
import { SUBPROTOCOL } from './protocol/messages.js';

export interface AppOptions {
  feed: FeedHub;
  board: EpisodeBoard;
  registry: Registry;
  /** A pino logger for request errors; omit for a silent app (tests). */
  logger?: Logger;
  readiness: () => Readiness;
  /** Folder of the live page (index.html, app.js, style.css); default: src/server/public. */
  publicDir?: string;
}

const MAX_EPISODES_LIMIT = 1000;

/** Frames this many times the protocol's message limit are refused unread by the websocket layer (1009). */
const TRANSPORT_PAYLOAD_FACTOR = 4;

/**
 * The HTTP and websocket surface, built in a function so tests use inject()/injectWS(); only
 * main.ts calls listen(). Routes: / (live page), /api, /healthz, /readyz, /metrics, /api/episodes,
 * /ws (the feed protocol, docs/websocket.md).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    // Scrapes and probes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  await app.register(websocket, {
    options: {
      // Messages over feed.maxMessageBytes are closed with 4413 by the hub; this only stops
      // much larger frames before they are buffered.
      maxPayload: options.feed.options.maxMessageBytes * TRANSPORT_PAYLOAD_FACTOR,
      // Select stormwatch.v1 when offered (a browser also offers bearer.<token> to authenticate).
      handleProtocols: (protocols: Set<string>) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : (protocols.values().next().value ?? false)),
    },
    // Instead of the plugin's default (close() without a code): say "going away" (1001), and do
    // not wait for clients that never answer the close handshake.
    preClose: async function (this: FastifyInstance) {
      options.feed.closeAll();
      this.websocketServer.close();
    },
  });
  await app.register(feedHubPlugin, { hub: options.feed, path: '/ws' });

  const index = {
    name: 'stormwatch',
    endpoints: {
      '/': 'the live page (active storms and drizzles, timeline)',
      '/healthz': 'liveness: 200 while the process runs',
      '/readyz': 'readiness: 200 when the source and every sink are ready, else 503',
      '/metrics': 'Prometheus metrics',
      '/api/episodes': 'active and recently ended episodes (?limit=N)',
      '/ws': 'websocket feed: hello, snapshot, numbered events, resume (docs/websocket.md)',
    },
  };
  app.get('/api', async () => index);
  if (!registerLivePage(app, options.publicDir ?? defaultPublicDir())) app.get('/', async () => index);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = options.readiness();
    return reply.code(readiness.ready ? 200 : 503).send(readiness);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });

  app.get<{ Querystring: { limit?: number; token?: string } }>(
    '/api/episodes',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_EPISODES_LIMIT, default: 100 },
            token: { type: 'string', maxLength: 1024 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      // The same data as the feed: the same token when one is configured.
      if (!tokenAccepted(options.feed.options.token, presentedToken(request))) return reply.code(401).send({ error: 'unauthorized' });
      return options.board.snapshot(request.query.limit ?? 100);
    },
  );

  return app;
}
