/**
 * Numbers JSON.parse would change: a value is stored exactly or refused, never rounded. The
 * scan reads the body's text once, skipping strings (found with indexOf, so a large string
 * costs little), and looks at every number literal as written.
 */

/** Why the number literal `literal` is not kept exactly by a JS number, or undefined when it is. */
export function inexactNumberReason(literal: string): string | undefined {
  const value = Number(literal);
  if (!Number.isFinite(value)) return `${literal} is beyond the range of a 64-bit float`;
  if (Object.is(value, -0)) return `${literal} is negative zero, which JSON answers write as 0`;
  if (value === 0 && /[1-9]/.test(mantissa(literal))) return `${literal} underflows to 0`;
  if (Number.isInteger(value) && !Number.isSafeInteger(value) && /^-?\d+(\.0*)?$/.test(literal))
    return `${literal} is an integer beyond ±(2^53 − 1), which a 64-bit float does not keep exactly`;
  return undefined;
}

function mantissa(literal: string): string {
  const e = literal.search(/[eE]/);
  return e < 0 ? literal : literal.slice(0, e);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * The first number literal in the JSON text `text` that would not be kept exactly, with the
 * reason, or undefined. `text` must already have been parsed by JSON.parse (it is valid JSON).
 */
export function findInexactNumber(text: string): string | undefined {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i + 1);
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      const reason = inexactNumberReason(text.slice(i, end));
      if (reason !== undefined) return reason;
      i = end;
    } else {
      i++;
    }
  }
  return undefined;
}

/** Index just past the closing quote of the string whose contents start at `from`. */
function endOfString(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote > 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

function isNumberChar(c: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (c >= ZERO && c <= NINE) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}
