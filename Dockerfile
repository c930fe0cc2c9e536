# One image for the API (`npm run api`) and the workers (`npm run worker`); see docker-compose.yml.
FROM node:20-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes. The code runs through
# tsx (a runtime dependency) and workers bundle workflows/ at start, so no build step and no dev tools.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# The source stays owned by root: the service only reads it.
COPY . .

# The image's unprivileged `node` user (uid 1000).
USER node
EXPOSE 3000
CMD ["npm", "run", "api"]
