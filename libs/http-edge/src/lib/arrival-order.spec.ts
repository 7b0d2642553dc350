import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { endTurn, takeTurn } from './arrival-order';

/** A request and its response on `socket`, as node hands them over (only what turns read). */
function exchange(socket: object) {
  const req = { socket } as unknown as IncomingMessage;
  const res = new EventEmitter() as unknown as ServerResponse;
  return { req, res };
}

describe('takeTurn / endTurn: requests on one connection in arrival order', () => {
  it('runs the first at once and the next only when the first ends its turn', () => {
    const socket = {};
    const ran: string[] = [];
    const a = exchange(socket);
    const b = exchange(socket);
    takeTurn(a.req, a.res, () => ran.push('a'));
    takeTurn(b.req, b.res, () => ran.push('b'));
    expect(ran).toEqual(['a']);
    endTurn(a.res);
    expect(ran).toEqual(['a', 'b']);
  });

  it('ends a turn when the response finishes or closes, once however often it is ended', () => {
    const socket = {};
    const ran: string[] = [];
    const [a, b, c] = [exchange(socket), exchange(socket), exchange(socket)];
    takeTurn(a.req, a.res, () => ran.push('a'));
    takeTurn(b.req, b.res, () => ran.push('b'));
    takeTurn(c.req, c.res, () => ran.push('c'));
    a.res.emit('finish');
    // The same response ending again (close after finish, a route's endTurn) releases no one else.
    a.res.emit('close');
    endTurn(a.res);
    expect(ran).toEqual(['a', 'b']);
    b.res.emit('close');
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('keeps connections apart: a busy one does not hold up another', () => {
    const ran: string[] = [];
    const [a, b] = [exchange({}), exchange({})];
    takeTurn(a.req, a.res, () => ran.push('a'));
    takeTurn(b.req, b.res, () => ran.push('b'));
    expect(ran).toEqual(['a', 'b']);
  });

  it('frees the connection once the last turn ends: the next request runs at once', () => {
    const socket = {};
    const ran: string[] = [];
    const a = exchange(socket);
    takeTurn(a.req, a.res, () => ran.push('a'));
    endTurn(a.res);
    const b = exchange(socket);
    takeTurn(b.req, b.res, () => ran.push('b'));
    expect(ran).toEqual(['a', 'b']);
  });
});
