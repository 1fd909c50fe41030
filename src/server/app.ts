import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging.js';
import type { Readiness } from '../service.js';
import type { EpisodeBoard } from '../sinks/episode-board.js';
import { feedHubPlugin, type FeedHub } from './feed-hub.js';

export interface AppOptions {
  feed: FeedHub;
  board: EpisodeBoard;
  registry: Registry;
  /** A pino logger for request errors; omit for a silent app (tests). */
  logger?: Logger;
  readiness: () => Readiness;
}

const MAX_EPISODES_LIMIT = 1000;

/**
 * The HTTP and websocket surface, built in a function so tests use inject()/injectWS(); only
 * main.ts calls listen(). Routes: /healthz, /readyz, /metrics, /api/episodes, /ws.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    // Scrapes and probes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Instead of the plugin's default (close() without a code): say "going away" (1001), and do
    // not wait for clients that never answer the close handshake.
    preClose: async function (this: FastifyInstance) {
      options.feed.closeAll();
      this.websocketServer.close();
    },
  });
  await app.register(feedHubPlugin, { hub: options.feed, path: '/ws' });

  app.get('/', async () => ({
    name: 'stormwatch',
    endpoints: {
      '/healthz': 'liveness: 200 while the process runs',
      '/readyz': 'readiness: 200 when the source and every sink are ready, else 503',
      '/metrics': 'Prometheus metrics',
      '/api/episodes': 'active and recently ended episodes (?limit=N)',
      '/ws': 'websocket: one classification event (JSON) per message',
    },
  }));

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = options.readiness();
    return reply.code(readiness.ready ? 200 : 503).send(readiness);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });

  app.get<{ Querystring: { limit?: number } }>(
    '/api/episodes',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_EPISODES_LIMIT, default: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => options.board.snapshot(request.query.limit ?? 100),
  );

  return app;
}
