# The Kafka gateway (bin/kafka-gateway.ts) for Fargate on Graviton. The build
# stage runs on the build machine's own platform: its output is one JavaScript
# file, the same on every architecture.
FROM --platform=$BUILDPLATFORM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No lifecycle scripts: `prepare` builds the web console, which the gateway does not serve.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY lib ./lib
RUN node --import tsx bin/build-kafka-gateway.ts dist/kafka-gateway.mjs

# The bundle holds every production dependency: the image needs Node and this file only.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/dist/ ./
USER node
EXPOSE 9092
# Node itself is PID 1 (exec form), so SIGTERM reaches the gateway's drain.
CMD ["node", "--enable-source-maps", "kafka-gateway.mjs"]
