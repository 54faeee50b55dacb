/**
 * A report as a list of blocks (headings, paragraphs, lists, tables, charts), rendered two ways from the same
 * content: Markdown for GitHub, with each chart linked as `charts/<name>.svg`, and one self-contained HTML page with
 * every chart's SVG inline. Inline text knows three marks, the same in both: `code`, **bold** and [links](url).
 */
import type { Chart } from './charts';

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly numeric?: readonly boolean[] }
  | { readonly kind: 'chart'; readonly chart: Chart };

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export const anchorOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .trim()
    .replace(/ /g, '-');

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(blocks: readonly Block[], chartDir = 'charts'): string {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        out.push(`${'#'.repeat(block.level)} ${block.text}`);
        break;
      case 'paragraph':
        out.push(block.text);
        break;
      case 'list':
        out.push(block.items.map((item) => `- ${item}`).join('\n'));
        break;
      case 'table': {
        const align = block.header.map((_, i) => (block.numeric?.[i] ? '---:' : '---'));
        out.push([block.header, align, ...block.rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n'));
        break;
      }
      case 'chart':
        out.push(`![${block.chart.title}](${chartDir}/${block.chart.name}.svg)`);
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The inline marks of `text` as HTML, everything else escaped. */
export function inlineHtml(text: string): string {
  const pattern = /`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let html = '';
  let at = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    html += escapeHtml(text.slice(at, match.index));
    if (match[1] !== undefined) html += `<code>${escapeHtml(match[1])}</code>`;
    else if (match[2] !== undefined) html += `<strong>${inlineHtml(match[2])}</strong>`;
    else html += `<a href="${escapeHtml(match[4])}">${inlineHtml(match[3])}</a>`;
    at = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(at));
}

const STYLE = `
body { font: 15px/1.5 Helvetica, Arial, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1, h2, h3 { line-height: 1.2; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 14px; } th, td { border: 1px solid #ddd; padding: .25rem .6rem; vertical-align: top; }
th { background: #f5f5f5; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { background: #f3f3f3; padding: 0 .2rem; border-radius: 3px; font-size: 90%; }
figure { margin: 1.5rem 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
`;

/** One HTML page; `svgs` maps each chart's name to its SVG document, embedded as is. */
export function renderHtml(blocks: readonly Block[], svgs: ReadonlyMap<string, string>, title: string): string {
  const body: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
        body.push(`<h${block.level} id="${anchorOf(block.text)}">${inlineHtml(block.text)}</h${block.level}>`);
        break;
      case 'paragraph':
        body.push(`<p>${inlineHtml(block.text)}</p>`);
        break;
      case 'list':
        body.push(`<ul>\n${block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('\n')}\n</ul>`);
        break;
      case 'table': {
        const head = `<tr>${block.header.map((h) => `<th>${inlineHtml(h)}</th>`).join('')}</tr>`;
        const rows = block.rows.map((row) => `<tr>${row.map((c, i) => `<td${block.numeric?.[i] ? ' class="n"' : ''}>${inlineHtml(c)}</td>`).join('')}</tr>`);
        body.push(`<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`);
        break;
      }
      case 'chart': {
        const svg = svgs.get(block.chart.name);
        if (svg === undefined) throw new Error(`chart ${block.chart.name} was not rendered: render every chart of the document before the page`);
        body.push(`<figure id="${block.chart.name}" aria-label="${escapeHtml(block.chart.title)}">\n${svg.replace(/^<\?xml[^>]*>\s*/, '')}\n</figure>`);
        break;
      }
    }
  }
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/** The charts of a document, in order. */
export const chartsOf = (blocks: readonly Block[]): Chart[] => blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
