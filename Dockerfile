# The dashboard as a container image: `docker build -t stickyscope:latest .`
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary matches the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` builds the app (its prepare script; build.mjs fails loudly if that build did not happen), then the dev
# tools are dropped.
RUN npm ci && node scripts/build.mjs && npm prune --omit=dev && mkdir -p data && chown node data
USER node
ENV PORT=3000
EXPOSE 3000
CMD ["node", "scripts/server.mjs"]
