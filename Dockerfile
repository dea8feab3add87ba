# One image for the API, the workers, the setup step and the migrations; the compose file chooses the command.
FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# The workflow bundle is built once into the image: workers start without webpack (WORKFLOW_BUNDLE).
RUN npm run build:workflows -- /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
CMD ["npm", "run", "api"]
