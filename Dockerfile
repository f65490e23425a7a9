# One image for every app; docker-compose.yml picks the entry point per service.
FROM node:24-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
COPY web/shared/package.json ./web/shared/
COPY web/parent-h5/package.json ./web/parent-h5/
COPY web/admin-console/package.json ./web/admin-console/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY seeds ./seeds
COPY bench ./bench
COPY web ./web
# The web apps (H5 at /h5/, console at /console/) are built here and served by parent-api and admin-api.
RUN npm run build && npm run build:web && npm prune --omit=dev

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
# A young generation of up to 64 MB a half: request-heavy processes collect garbage less often
# (README, performance). npm start and the start:* scripts pass the same flag.
ENV NODE_OPTIONS=--max-semi-space-size=64
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/parent-h5/dist ./web/parent-h5/dist
COPY --from=build /app/web/admin-console/dist ./web/admin-console/dist
# DATA_DIR (uploads without S3): owned by the non-root user, so a named volume mounted here
# starts with that owner and the apps can write to it.
ENV DATA_DIR=/app/data
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000 3001 3002 3003
CMD ["node", "dist/apps/main.js"]
