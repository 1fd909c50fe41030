# syntax=docker/dockerfile:1
# stormwatch image: build stage compiles TypeScript with the dev dependencies; the runtime stage
# has production dependencies only, runs as the non-root `node` user, and checks /healthz.
# The same image runs the demo producer (scripts/demo-producer.mjs) in docker-compose.yml.
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY src ./src
RUN npx tsc -p tsconfig.json

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
# The live page's static files (served at /; no build step).
COPY src/server/public ./src/server/public
COPY config ./config
COPY scripts/demo-producer.mjs ./scripts/demo-producer.mjs
# Embedded mode writes dead letters under .data/ (the Kafka source uses a topic instead).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
ENV STORMWATCH_SERVER_HOST=0.0.0.0 \
    STORMWATCH_SERVER_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.STORMWATCH_SERVER_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
