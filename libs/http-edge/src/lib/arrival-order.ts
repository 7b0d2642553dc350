/**
 * Requests on one connection take effect in the order they arrived, as Redis runs a
 * connection's commands. HTTP/1.1 lets a client pipeline `PUT /kv/k` and `DELETE /kv/k` in one
 * packet; node parses both at once, and the DELETE (no body to read) would otherwise get its
 * LSN while the PUT is still reading its body.
 *
 * Each request takes a turn on its socket: the first runs at once, a later one waits until the
 * one before it ends its turn. A route ends its turn as soon as its effect is fixed (a write
 * once its LSN is assigned, so pipelined writes still wait for their quorums together);
 * otherwise the turn ends when the response is finished or the connection closes. Across
 * connections there is no order: requests race, and the LSN a write gets is the order.
 */
import type { Socket } from 'node:net';
import type { RequestHandler, Response } from 'express';

const TURNS = Symbol('quorum-kv.turns');
const END_TURN = 'endTurn';

interface Turns {
  busy: boolean;
  waiting: Array<() => void>;
}

type SocketWithTurns = Socket & { [TURNS]?: Turns };

export const arrivalOrder: RequestHandler = (req, res, next) => {
  const socket = req.socket as SocketWithTurns;
  const turns = (socket[TURNS] ??= { busy: false, waiting: [] });
  let ended = false;
  const endTurn = () => {
    if (ended) return;
    ended = true;
    const following = turns.waiting.shift();
    if (following) following();
    else turns.busy = false;
  };
  res.locals[END_TURN] = endTurn;
  res.once('finish', endTurn);
  res.once('close', endTurn);
  if (!turns.busy) {
    turns.busy = true;
    next();
  } else {
    turns.waiting.push(() => next());
  }
};

/** Ends this request's turn: the next request on its connection may take effect. */
export function endTurn(res: Response): void {
  (res.locals[END_TURN] as (() => void) | undefined)?.();
}
