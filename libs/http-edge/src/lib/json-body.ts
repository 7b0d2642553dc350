/**
 * Body parsing for JSON routes: the content type must be JSON (else 415), the size is bounded
 * (else 413), and bad JSON is a 400. Parsing is express's own (body-parser).
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from '@quorum-kv/replication-protocol';

export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is('application/json')) {
      return next(new ApiError('unsupported_media_type', 'send the body as Content-Type: application/json'));
    }
    next();
  };
  return [requireJson, express.json({ limit: limitBytes, strict: false, type: 'application/json' })];
}
