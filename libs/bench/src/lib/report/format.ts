/** Number and list formatting shared by the report's sentences and tables. */

/** Milliseconds to one decimal; '—' for a value that is not a finite number. */
export function fmtMs(value: number): string {
  return Number.isFinite(value) ? (Math.round(value * 10) / 10 + 0).toFixed(1) : '—';
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

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], alignRight = true): string {
  const rule = header.map(() => (alignRight ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
