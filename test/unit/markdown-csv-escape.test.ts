import { describe, expect, it } from 'vitest';
import { csvComment, csvText } from '../../src/report/shared/csv-escape.js';
import { markdownTable } from '../../src/report/shared/format.js';
import { escapeHtml } from '../../src/report/shared/html-escape.js';
import { listHtml, listMarkdown } from '../../src/report/shared/list.js';
import { inline } from '../helpers/markdown-inline.js';
import { parseMarkdownTable } from '../helpers/markdown-table.js';
import { mdCell, mdCode, mdItem, mdText } from '../../src/report/shared/markdown-escape.js';

/**
 * The escaping every Markdown and CSV writer uses for text meshbench did not write (report-escaping.test.ts
 * checks the writers): known answers, and the round trip through the project's renderer of that Markdown.
 */
const NASTY = [
  '<script>alert(1)</script>',
  'night\n# injected heading',
  '<!-- hides the rest',
  'a | b',
  '[click](javascript:alert(1))',
  '**bold** _em_ `code` ~~strike~~ &amp; \\ back',
  '# looks like a heading',
  '1. looks like a list',
  'snake_case_name',
];

/** What a Markdown renderer must show for foreign text: the text itself, on one line. */
const shown = (s: string) => s.replace(/\r\n|\r|\n/g, ' ');

describe('markdown-escape: known answers', () => {
  it.each(NASTY)('mdText/mdItem/mdCell/mdCode of %j render as the text itself', (s) => {
    // inline() reads this Markdown subset back (test/helpers/markdown-inline.ts); CommonMark
    // backslash escapes and code spans mean the same there as on GitHub.
    for (const f of [mdText, mdItem, mdCell]) expect(inline(f(s)), f.name).toBe(escapeHtml(shown(s)));
    expect(inline(mdCode(s))).toBe(`<code>${escapeHtml(shown(s))}</code>`);
    for (const f of [mdText, mdItem, mdCell, mdCode]) expect(f(s), f.name).not.toMatch(/[\r\n]/);
    expect(mdText(s)).not.toMatch(/(^|[^\\])[<>|[\]`*]/);
  });

  it('a list item cannot open a heading or a nested list', () => {
    expect(mdItem('# x')).toBe('\\# x');
    expect(mdItem('1. x')).toBe('1\\. x');
    expect(mdItem('- x')).toBe('\\- x');
    // A list item whose text comes from results.json: escaped where it opens the item, shown as written.
    expect(listMarkdown([{ content: [{ data: '# x' }] }])).toEqual(['- \\# x']);
    expect(listHtml([{ content: [{ data: '# x' }] }])).toBe('<ul><li># x</li></ul>');
  });

  it('a table cell keeps its table: pipes and line breaks escaped, read back exactly', () => {
    const cells = ['a | b', 'x\ny', '<b>', 'back\\slash'];
    const table = markdownTable(['h1', 'h2', 'h3', 'h4'], [cells]);
    expect(table.split('\n')).toHaveLength(3);
    expect(parseMarkdownTable(table).rows[0]).toEqual(['a | b', 'x y', '<b>', 'back\\slash']);
  });

  it('code spans choose a fence longer than any backtick run inside', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(inline(mdCode('`x`'))).toBe('<code>`x`</code>');
  });
});

describe('csv-escape: formula prefixes and comment lines', () => {
  it('neutralises = + - @ tab and CR at the start of a text field, and quotes what must be quoted', () => {
    expect(csvText('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\tx')).toBe("'\tx");
    expect(csvText('\rx')).toBe(`"'\rx"`);
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('plain')).toBe('plain');
  });

  it('a comment line stays one line, and no comma-separated piece of it can start a formula', () => {
    const line = csvComment('run x,=cmd()\n, @evil,  -1+2');
    expect(line).toBe("# run x,'=cmd() , '@evil,  '-1+2");
    expect(line.split('\n')).toHaveLength(1);
  });
});
