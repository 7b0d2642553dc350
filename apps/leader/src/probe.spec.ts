import request from 'supertest';
import express from 'express';
import { errorMiddleware, routeNotFound, jsonBody } from '@quorum-kv/http-edge';
import { parseKey } from '@quorum-kv/replication-protocol';
it('probe', async () => {
  const app = express();
  const errors: unknown[] = [];
  app.get('/kv/:key', (req, res) => { res.json({ key: parseKey(req.params['key']) }); });
  app.put('/kv/:key', ...jsonBody(256), (req, res) => { res.json({ body: req.body ?? 'undef' }); });
  app.use(routeNotFound);
  app.use((err: any, _q: any, _s: any, next: any) => { console.log("ERR", err?.name, err?.type, err?.status, err?.message); next(err); });
  app.use(errorMiddleware({ error: (o: unknown) => errors.push(o) } as never));
  for (const path of ['/kv/%E0%A4%A', '/kv/%', '/kv/..', '/kv/%2e%2e']) {
    const r = await request(app).get(path);
    console.log(path, r.status, r.body);
  }
  let r = await request(app).put('/kv/a');
  console.log('nobody', r.status, r.body, r.req.getHeaders?.());
  r = await request(app).put('/kv/a').set('Content-Type', 'application/json');
  console.log('json no body', r.status, r.body);
  r = await request(app).put('/kv/a').set('Content-Type', 'application/json').set('Content-Encoding', 'br').send('{"value":1}');
  console.log('br', r.status, r.body);
  r = await request(app).put('/kv/a').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"value":1}');
  console.log('gzip invalid', r.status, r.body);
  r = await request(app).put('/kv/a').set('Content-Type', 'application/json').set('Content-Encoding', 'identity2').send('{"value":1}');
  console.log('unknown enc', r.status, r.body);
  console.log(errors.length);
});
