# The follower app as one container. The build context is the repo root, and the app must be
# built first (npx nx run-many -t build): dist/apps/follower/main.js is a single bundled file
# that runs with plain node and needs no node_modules.
#
# NODE_IMAGE is the public node image by default; on machines without a registry pass the
# local base image (tools/docker/build-base-image.sh). That image has no shell, so this file
# must not use RUN, and the command finds node on PATH (/usr/local/bin in node:20-slim,
# /usr/bin in the local base image).
ARG NODE_IMAGE=node:20-slim
FROM ${NODE_IMAGE}

LABEL org.quorum-kv=follower
COPY dist/apps/follower/main.js /app/main.js
WORKDIR /app
ENV PORT=8080
EXPOSE 8080
# node runs as PID 1: the app itself must handle SIGTERM to stop promptly.
CMD ["node", "/app/main.js"]
