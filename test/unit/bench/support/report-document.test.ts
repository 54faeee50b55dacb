import type { Chart } from '../../../../bench/support/charts';
import { anchorOf, type Block, chartsOf, inlineHtml, renderHtml, renderMarkdown } from '../../../../bench/support/report-document';

const chart: Chart = { name: 'latency-ecdf', title: 'Order latency', spec: { mark: 'point', data: { values: [] } } };
const blocks: Block[] = [
  { kind: 'heading', level: 1, text: 'Bench report' },
  { kind: 'paragraph', text: 'Run `npm run bench`; **all** figures in [the README](../README.md).' },
  { kind: 'list', items: ['open loop', 'closed <loop>'] },
  { kind: 'table', header: ['kind', 'p50 (ms)'], numeric: [false, true], rows: [['sync | fast', '2.10']] },
  { kind: 'chart', chart },
];

describe('renderMarkdown', () => {
  it('writes headings, paragraphs, lists, right-aligned numeric columns with escaped pipes, and charts as SVG images', () => {
    const md = renderMarkdown(blocks);

    expect(md).toBe(
      [
        '# Bench report',
        'Run `npm run bench`; **all** figures in [the README](../README.md).',
        '- open loop\n- closed <loop>',
        '| kind | p50 (ms) |\n| --- | ---: |\n| sync \\| fast | 2.10 |',
        '![Order latency](charts/latency-ecdf.svg)',
      ].join('\n\n') + '\n',
    );
  });
});

describe('renderHtml', () => {
  it('writes one page with the same content and each chart’s SVG inline', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><g class="mark-line"/></svg>';

    const html = renderHtml(blocks, new Map([['latency-ecdf', svg]]), 'Bench');

    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1 id="bench-report">Bench report</h1>');
    expect(html).toContain('<code>npm run bench</code>; <strong>all</strong> figures in <a href="../README.md">the README</a>.');
    expect(html).toContain('<li>closed &lt;loop&gt;</li>');
    expect(html).toContain('<td>sync | fast</td><td class="n">2.10</td>');
    expect(html).toContain('<figure id="latency-ecdf" aria-label="Order latency">\n<svg xmlns="http://www.w3.org/2000/svg"><g class="mark-line"/></svg>\n</figure>');
    expect(html).not.toContain('<?xml');
    expect(html).not.toMatch(/<script|<img|<link/);
  });

  it('refuses to write a page whose chart was not rendered', () => {
    expect(() => renderHtml(blocks, new Map(), 'Bench')).toThrow('chart latency-ecdf was not rendered');
  });
});

describe('inlineHtml', () => {
  it('escapes everything but its three marks, also inside code', () => {
    expect(inlineHtml('a < b & `x<y>` **c & d**')).toBe('a &lt; b &amp; <code>x&lt;y&gt;</code> <strong>c &amp; d</strong>');
  });
});

describe('anchorOf and chartsOf', () => {
  it('make GitHub-style anchors and list the charts in order', () => {
    expect(anchorOf('Load: 200 orders/s for 60 s')).toBe('load-200-orderss-for-60-s');
    expect(chartsOf(blocks)).toEqual([chart]);
  });
});
