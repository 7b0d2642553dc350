/**
 * The bench's one Markdown renderer, for every report.html: markdown-it with raw HTML off (it is
 * escaped, never passed through), links only to files of the run's folder and in-page anchors,
 * right-aligned columns carrying the page's `num` class. Pure: strings in, strings out.
 */
import MarkdownIt from 'markdown-it';

/** A report's Markdown as HTML. */
export const markdown = new MarkdownIt({ html: false });
// Links only to files of the run's folder and in-page anchors: the page goes nowhere else.
markdown.validateLink = (url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//');
// A right-aligned column (`---:`) carries the page's `num` class, which its style sheet aligns, instead of an inline style.
for (const cell of ['th_open', 'td_open'] as const) {
  markdown.renderer.rules[cell] = (tokens, i, options, _env, self) => {
    const token = tokens[i] as (typeof tokens)[number];
    if (token.attrGet('style') === 'text-align:right') token.attrs = [['class', 'num']];
    return self.renderToken(tokens, i, options);
  };
}
export const escapeHtml = (text: string) => markdown.utils.escapeHtml(text);

/** One `## Heading` of a Markdown document and the lines under it (up to the next `## `). */
export interface MarkdownSection {
  heading: string;
  lines: string[];
}

/** The document's `# title`, the lines before the first `## `, and each `## ` section in order. */
export function markdownSections(text: string): { title: string; intro: string[]; sections: MarkdownSection[] } {
  let title = '';
  const intro: string[] = [];
  const sections: MarkdownSection[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const current = sections[sections.length - 1];
    if (!inFence && line.startsWith('## ')) sections.push({ heading: line.slice(3).trim(), lines: [] });
    else if (!inFence && line.startsWith('# ') && title === '' && current === undefined) title = line.slice(2).trim();
    else (current?.lines ?? intro).push(line);
  }
  return { title, intro, sections };
}

/** Markdown lines (one section's body) as HTML. */
export function markdownBlocksToHtml(lines: readonly string[]): string {
  return markdown.render(lines.join('\n'));
}
