import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Readiness } from '../../service.js';
import { defaultPublicDir, registerLivePage } from '../live-page.js';

/** The index of the surface, at /api (and at / when the live page is not built). */
const index = {
  name: 'stormwatch',
  endpoints: {
    '/': 'the live page (active storms and drizzles, timeline)',
    '/healthz': 'liveness: 200 while the process runs',
    '/readyz': 'readiness: 200 when the source and every sink are ready, else 503',
    '/metrics': 'Prometheus metrics',
    '/api/episodes': 'active and recently ended episodes (?limit=N)',
    '/api/episodes/:episodeId': 'one active or recently ended episode, with its feedback and its curve (volume per minute against the usual band, negative share)',
    '/api/events': 'the latest classification events of the feed, oldest first (?limit=N)',
    'POST /api/episodes/:episodeId/ack': 'acknowledge an open episode: {by, note?}',
    'POST /api/episodes/:episodeId/feedback': 'a verdict on an episode: {verdict: confirmed | false_alarm | wrong_level, by, note?}',
    '/api/feedback': 'feedback counts and precision per level, and the latest verdicts (?limit=N)',
    '/ws': 'websocket feed: hello, snapshot, numbered events, resume (docs/websocket.md)',
  },
};

/** What operators and probes use: the index, the live page, liveness, readiness, metrics. */
export function registerOpsRoutes(app: FastifyInstance, options: { registry: Registry; readiness: () => Readiness; publicDir?: string | undefined }): void {
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
}
