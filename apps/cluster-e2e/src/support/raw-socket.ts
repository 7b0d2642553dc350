/**
 * HTTP/1.1 over a bare TCP socket, for what no client library does on purpose: several requests
 * pipelined in one write, and bodies that stop arriving. Answers are read back in order.
 */
import { connect, type Socket } from 'node:net';

export interface SocketAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

/** One request's bytes: a request line, headers (Host and Content-Length added), and a body. */
export function requestBytes(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) {
    lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

export function openSocket(baseUrl: string): Promise<Socket> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Reads `count` answers from `socket`, in order; resolves early with what came if the server
 * closes the connection, and rejects after `timeoutMs`.
 */
export function readAnswers(socket: Socket, count: number, timeoutMs = 30_000): Promise<SocketAnswer[]> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    const answers: SocketAnswer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', done);
      resolve(answers);
    };
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`${answers.length} of ${count} answers within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let answer = takeAnswer(); answer; answer = takeAnswer()) {
        answers.push(answer);
        if (answers.length === count) return done();
      }
    };
    const takeAnswer = (): SocketAnswer | undefined => {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...headerLines] = pending.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const length = Number(headers['content-length'] ?? 0);
      if (pending.length < end + 4 + length) return undefined;
      const text = pending.subarray(end + 4, end + 4 + length).toString('utf8');
      pending = pending.subarray(end + 4 + length);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: Number(statusLine.split(' ')[1]), headers, text, json };
    };
    socket.on('data', onData);
    socket.once('close', done);
  });
}

/** Resolves when the server closes `socket` (it rejects after `timeoutMs`). */
export function closedByServer(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return resolve();
    const timer = setTimeout(() => reject(new Error(`the server kept the connection past ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
  });
}
