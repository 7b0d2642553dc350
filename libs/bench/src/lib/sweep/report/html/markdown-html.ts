/**
 * Just enough Markdown to show `report.md`'s own sections in `report.html`, so the two reports
 * say the same things in the same words: headings, paragraphs, `- ` lists, pipe tables, code
 * fences, and inline `code`, **bold** and [links](...). Anything else comes out as escaped
 * text. Pure.
 */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One `## Heading` of a Markdown document and the lines under it (up to the next `## `). */
export interface MarkdownSection {
  heading: string;
  lines: string[];
}

/** The document's `# title`, the lines before the first `## `, and each `## ` section in order. */
export function markdownSections(markdown: string): { title: string; intro: string[]; sections: MarkdownSection[] } {
  let title = '';
  const intro: string[] = [];
  const sections: MarkdownSection[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const current = sections[sections.length - 1];
    if (!inFence && line.startsWith('## ')) sections.push({ heading: line.slice(3).trim(), lines: [] });
    else if (!inFence && line.startsWith('# ') && title === '' && current === undefined) title = line.slice(2).trim();
    else (current?.lines ?? intro).push(line);
  }
  return { title, intro, sections };
}

/** Inline Markdown of one line: code spans first (their text stays literal), then bold and links. */
export function inlineHtml(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => {
      if (part.length >= 2 && part.startsWith('`') && part.endsWith('`'))
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) =>
          safeHref(href) ? `<a href="${href}">${label}</a>` : label,
        );
    })
    .join('');
}

/** Only relative links (files of the run's folder) and in-page anchors: the page goes nowhere else. */
function safeHref(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//');
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

function tableHtml(lines: string[]): string {
  const [header = '', rule = '', ...rows] = lines;
  const align = tableCells(rule).map((r) => (r.endsWith(':') && !r.startsWith(':') ? ' class="num"' : ''));
  const head = tableCells(header)
    .map((cell, i) => `<th${align[i] ?? ''}>${inlineHtml(cell)}</th>`)
    .join('');
  const body = rows.map(
    (row) =>
      `<tr>${tableCells(row)
        .map((cell, i) => `<td${align[i] ?? ''}>${inlineHtml(cell)}</td>`)
        .join('')}</tr>`,
  );
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

/** Block Markdown (no headings expected; a stray one becomes a paragraph) to HTML. */
export function markdownBlocksToHtml(lines: readonly string[]): string {
  const blocks: string[] = [];
  let i = 0;
  const take = (test: (line: string) => boolean): string[] => {
    const taken: string[] = [];
    while (i < lines.length && test(lines[i] as string)) taken.push(lines[i++] as string);
    return taken;
  };
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
    } else if (line.startsWith('```')) {
      const language = line.slice(3).trim();
      i++;
      const code = take((l) => !l.startsWith('```'));
      i++; // the closing fence
      blocks.push(
        `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(code.join('\n'))}</code></pre>`,
      );
    } else if (line.trimStart().startsWith('|')) {
      blocks.push(tableHtml(take((l) => l.trimStart().startsWith('|'))));
    } else if (line.startsWith('- ')) {
      const items = take((l) => l.startsWith('- ')).map((l) => `<li>${inlineHtml(l.slice(2))}</li>`);
      blocks.push(`<ul>\n${items.join('\n')}\n</ul>`);
    } else {
      const paragraph = take(
        (l) => l.trim() !== '' && !l.startsWith('- ') && !l.startsWith('```') && !l.trimStart().startsWith('|'),
      );
      blocks.push(`<p>${inlineHtml(paragraph.join(' '))}</p>`);
    }
  }
  return blocks.join('\n');
}
