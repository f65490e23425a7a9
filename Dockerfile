# One image for every app; docker-compose.yml picks the entry point per service.
FROM node:24-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY seeds ./seeds
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR (uploads without S3): owned by the non-root user, so a named volume mounted here
# starts with that owner and the apps can write to it.
ENV DATA_DIR=/app/data
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000 3001 3002
CMD ["node", "dist/apps/main.js"]
