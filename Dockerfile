# One image for the API, the workers and the migrations; the compose file chooses the command.
FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
USER node
CMD ["npm", "run", "api"]
