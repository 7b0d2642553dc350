/**
 * The bench's client of the cluster, one HTTP client per purpose. Measured writes (`put`) go
 * through node's own HTTP client on keep-alive connections with Nagle off, because the client's
 * own cost is part of every latency the study reports and axios adds to it (the README has the
 * figure). Everything untimed (deletes, reads, dumps, status) uses axios.
 * Writes never throw on an HTTP error status: the status and the JSON error body are part of
 * the record. Network failures (no answer) are reported as status 0.
 */
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';

export interface WriteAnswer {
  httpStatus: number;
  body: Record<string, unknown>;
}

export interface StoreDump {
  lsn: number;
  store: Record<string, unknown>;
}

export class KvClient {
  private readonly http: AxiosInstance;
  private readonly agent: http.Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, noDelay: true } as http.AgentOptions);
    this.http = axios.create({
      baseURL: baseUrl,
      httpAgent: this.agent,
      proxy: false,
      timeout: 30_000,
      validateStatus: () => true,
      headers: { 'content-type': 'application/json' },
    });
  }

  /** A measured write; `headers` are sent besides the JSON content headers (the floor's relay reads its delays from one). */
  put(
    key: string,
    value: unknown,
    query: Record<string, string | number>,
    headers: Record<string, string> = {},
  ): Promise<WriteAnswer> {
    const body = JSON.stringify({ value });
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return new Promise((resolve) => {
      const req = http.request(
        `${this.baseUrl}/kv/${encodeURIComponent(key)}?${search}`,
        {
          method: 'PUT',
          agent: this.agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ httpStatus: res.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) }),
          );
          res.on('error', (err) => resolve(noAnswer(err)));
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.on('error', (err) => resolve(noAnswer(err)));
      req.end(body);
    });
  }

  async delete(key: string, query: Record<string, string | number>): Promise<WriteAnswer> {
    return this.send(() => this.http.delete(`/kv/${encodeURIComponent(key)}`, { params: query }));
  }

  async getJson<T>(path: string): Promise<T> {
    const res = await this.http.get(path);
    if (res.status !== 200)
      throw new Error(`GET ${this.baseUrl}${path} answered ${res.status}: ${JSON.stringify(res.data).slice(0, 200)}`);
    return res.data as T;
  }

  debugStore(): Promise<StoreDump> {
    return this.getJson<StoreDump>('/debug/store');
  }

  close(): void {
    this.agent.destroy();
  }

  private async send(call: () => Promise<{ status: number; data: unknown }>): Promise<WriteAnswer> {
    try {
      const res = await call();
      const body =
        typeof res.data === 'object' && res.data !== null ? (res.data as Record<string, unknown>) : { raw: res.data };
      return { httpStatus: res.status, body };
    } catch (err) {
      return noAnswer(err);
    }
  }
}

function noAnswer(err: unknown): WriteAnswer {
  return { httpStatus: 0, body: { error: 'no_answer', message: err instanceof Error ? err.message : String(err) } };
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { raw: parsed };
  } catch {
    return { raw: text.slice(0, 200) };
  }
}
