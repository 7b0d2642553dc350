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
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const TURNS = Symbol('quorum-kv.turns');
/** On a response: its connection's turns while it holds or waits for one; undefined once its turn ended. */
const HOLDS = Symbol('quorum-kv.holds-turn');

interface Turns {
  busy: boolean;
  waiting: Array<() => void>;
}

type SocketWithTurns = Socket & { [TURNS]?: Turns };
type ResponseWithTurn = ServerResponse & { [HOLDS]?: Turns | undefined };

/** One listener for every response (no closure per request): `this` is the response. */
function endTurnOnDone(this: ServerResponse): void {
  endTurn(this);
}

/**
 * Runs `next` when this request's turn on its connection comes: at once when the connection is
 * idle. Works on node's own request and response, so a route served before express's router
 * takes its turn among the express ones.
 */
export function takeTurn(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const socket = req.socket as SocketWithTurns;
  const turns = (socket[TURNS] ??= { busy: false, waiting: [] });
  (res as ResponseWithTurn)[HOLDS] = turns;
  res.on('finish', endTurnOnDone);
  res.on('close', endTurnOnDone);
  if (!turns.busy) {
    turns.busy = true;
    next();
  } else {
    turns.waiting.push(next);
  }
}

export const arrivalOrder = (req: IncomingMessage, res: ServerResponse, next: () => void): void =>
  takeTurn(req, res, next);

/** Ends this request's turn: the next request on its connection may take effect. Idempotent. */
export function endTurn(res: ServerResponse): void {
  const turns = (res as ResponseWithTurn)[HOLDS];
  if (turns === undefined) return;
  (res as ResponseWithTurn)[HOLDS] = undefined;
  const following = turns.waiting.shift();
  if (following) following();
  else turns.busy = false;
}
