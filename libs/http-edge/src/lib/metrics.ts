/** A Prometheus registry per app, with the default process metrics, and its `/metrics` route. */
import type { RequestHandler } from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';

export function createRegistry(role: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function metricsRoute(registry: Registry): RequestHandler {
  return async (_req, res, next) => {
    try {
      const text = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.send(text);
    } catch (err) {
      next(err);
    }
  };
}
