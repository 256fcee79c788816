# The fleet's container image (the Kubernetes export runs it): the workspace built with pnpm, every
# app run as built JavaScript (dist/) on Node 24, the version the project pins (root package.json).
#   docker build -t drift-bots:1 .   then   pnpm fleet export k8s --image drift-bots:1
# `COPY . .` takes what .dockerignore lets through: never drift-bots.yaml, env files, keys, state,
# logs or exports. The pods get the config from a Secret (the export's drift-fleet-config).
FROM node:24.21.0-bookworm-slim AS build
RUN npm install -g pnpm@12.4.2
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# State (journals, risk state) and logs live on volumes (the export mounts them here).
RUN mkdir -p /var/lib/drift/data /var/lib/drift/logs && chown -R node:node /var/lib/drift
USER node
ENV DRIFT_DATA_DIR=/var/lib/drift/data LOG_DIR=/var/lib/drift/logs
# The manifests give the command: node apps/orchestrator/dist/run-one.js <app>.
CMD ["node", "apps/orchestrator/dist/run-one.js"]
