import express from 'express';
import request from 'supertest';
import { sendJson } from './send-json';

/** One app answering the same body both ways, to compare what a client sees. */
function app() {
  const a = express();
  a.disable('x-powered-by');
  a.disable('etag');
  a.get('/express', (_req, res) => void res.status(201).json({ key: 'k', note: 'é' }));
  a.get('/lean', (_req, res) => sendJson(res, { key: 'k', note: 'é' }, 201));
  a.head('/default', (_req, res) => sendJson(res, { key: 'k' }));
  return a;
}

describe('sendJson', () => {
  it("sends what express's res.json sends: status, content type, length in bytes, body", async () => {
    const [viaExpress, lean] = await Promise.all([request(app()).get('/express'), request(app()).get('/lean')]);
    expect(lean.status).toBe(viaExpress.status);
    expect(lean.headers['content-type']).toBe(viaExpress.headers['content-type']);
    expect(lean.headers['content-length']).toBe(viaExpress.headers['content-length']);
    expect(lean.text).toBe(viaExpress.text);
  });

  it('answers 200 unless told otherwise, and sends no body to a HEAD request', async () => {
    const res = await request(app()).head('/default');
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
  });
});
