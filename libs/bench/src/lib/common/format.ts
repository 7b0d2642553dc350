/** Number and list formatting shared by the report's sentences and tables. */

/** The one mark for a value that is missing or not a finite number. */
export const MISSING = '—';

/**
 * The one number formatter: `value` rounded to `decimals` places, never "-0"; MISSING for null
 * or a value that is not a finite number.
 */
export function fmtDecimal(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return MISSING;
  const scale = 10 ** decimals;
  return (Math.round(value * scale) / scale + 0).toFixed(decimals);
}

/**
 * The one duration formatter: milliseconds to one decimal ("12.3", or "12.3 ms" with `unit`),
 * or to `decimals` places for sub-millisecond figures; MISSING for a value that is not a finite number.
 */
export function fmtMs(value: number, unit = false, decimals = 1): string {
  const text = fmtDecimal(value, decimals);
  return unit && text !== MISSING ? `${text} ms` : text;
}

/** A count or a '—' when unknown. */
export function fmtCount(value: number): string {
  return Number.isFinite(value) ? String(value) : '—';
}

/** "1", "1 and 2", "1, 2 and 3". */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  alignRight = true,
): string {
  const rule = header.map(() => (alignRight ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A difference in ms with its sign: "+12.3", "−4.0" (a true minus), "0.0". */
export function fmtSignedMs(value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const text = fmtMs(Math.abs(value));
  if (text === '0.0') return text;
  return value > 0 ? `+${text}` : `−${text}`;
}

/** A ratio as "×1.25" (two decimals); '—' when it is not a finite number. */
export function fmtRatio(value: number): string {
  return Number.isFinite(value) ? `×${value.toFixed(2)}` : MISSING;
}

/** A value with its interval: "44.3 [37.9, 54.5]"; just the value when the interval is unknown. */
export function fmtInterval(value: number, low: number, high: number): string {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return fmtMs(value);
  return `${fmtMs(value)} [${fmtMs(low)}, ${fmtMs(high)}]`;
}

/** `value` as one shell word: as it is when pasting it is safe, else in single quotes. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.,:/=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export type CommandFlags = ReadonlyArray<readonly [string, string | number | boolean | null | undefined]>;

/**
 * `npx nx run bench:<command> -- <flags>`, each value shell-quoted and a flag without a value
 * (null or undefined) left out, a switch (`true`) given bare and left out when `false`; one flag a line, ready to paste, unless `oneLine`.
 */
export function benchCommandLine(command: string, flags: CommandFlags, oneLine = false): string {
  const args = flags
    .filter(([, value]) => value !== undefined && value !== null && value !== false)
    .map(([flag, value]) => (value === true ? flag : `${flag} ${shellQuote(String(value))}`));
  return `npx nx run bench:${command} -- ${oneLine ? args.join(' ') : `\\\n  ${args.join(' \\\n  ')}`}`;
}
