# syntax=docker/dockerfile:1
# Baton runs its TypeScript sources directly through tsx (a runtime dependency): there is no
# build output. The first stage installs everything and type-checks, so an image is only ever
# built from sources that compile; the final stage holds production dependencies and sources.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS verify
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    BATON_DATA_DIR=/data \
    BATON_CONFIG=/etc/baton/baton.yaml \
    BATON_MAPPINGS=/etc/baton/mappings
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=verify /app/tsconfig.json ./
COPY --from=verify /app/bin ./bin
COPY --from=verify /app/src ./src
COPY --from=verify /app/connectors ./connectors
COPY --from=verify /app/migrations ./migrations
# Plans and connections come from the operator (mounted read-only at these paths), never baked in.
# /data: the embedded Postgres when DATABASE_URL is unset (a single-container trial only).
RUN mkdir -p /etc/baton/mappings /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The README's start command: `baton serve` is `node bin/baton.js serve`.
ENTRYPOINT ["node", "bin/baton.js"]
CMD ["serve"]
