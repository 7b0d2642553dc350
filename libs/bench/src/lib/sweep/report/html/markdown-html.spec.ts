import { escapeHtml, inlineHtml, markdownBlocksToHtml, markdownSections } from './markdown-html';

describe('markdownSections', () => {
  it('splits the title, the intro and each ## section, ignoring ## inside code fences', () => {
    const md = ['# Title', '', 'Intro.', '## One', 'a', '```sh', '## not a heading', '```', '## Two', 'b'].join('\n');
    expect(markdownSections(md)).toEqual({
      title: 'Title',
      intro: ['', 'Intro.'],
      sections: [
        { heading: 'One', lines: ['a', '```sh', '## not a heading', '```'] },
        { heading: 'Two', lines: ['b'] },
      ],
    });
  });
});

describe('inlineHtml', () => {
  // Each case: Markdown in, HTML out.
  it.each([
    ['a **b** c', 'a <strong>b</strong> c'], // bold
    ['`x <y> **z**`', '<code>x &lt;y&gt; **z**</code>'], // code stays literal
    ['see [SVG](a.svg)', 'see <a href="a.svg">SVG</a>'], // relative link
    ['[x](https://example.com)', 'x'], // no link leaves the run folder
    ['[x](javascript:alert(1))', 'x)'], // nor runs code (the rest stays text)
    ['<b>&', '&lt;b&gt;&amp;'], // raw HTML is text
  ])('%p -> %p', (md, html) => {
    expect(inlineHtml(md)).toBe(html);
  });
});

describe('markdownBlocksToHtml', () => {
  it('renders paragraphs, lists, code fences and right-aligned tables', () => {
    const html = markdownBlocksToHtml([
      'para one',
      'continues',
      '',
      '- item **1**',
      '- item 2',
      '',
      '```sh',
      'npx a \\',
      '  --b <c>',
      '```',
      '',
      '| W | p99 |',
      '| ---: | ---: |',
      '| 1 | **NOT equal** |',
    ]);
    expect(html).toContain('<p>para one continues</p>');
    expect(html).toContain('<ul>\n<li>item <strong>1</strong></li>\n<li>item 2</li>\n</ul>');
    expect(html).toContain('<pre><code class="language-sh">npx a \\\n  --b &lt;c&gt;</code></pre>');
    expect(html).toContain('<thead><tr><th class="num">W</th><th class="num">p99</th></tr></thead>');
    expect(html).toContain('<tr><td class="num">1</td><td class="num"><strong>NOT equal</strong></td></tr>');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
