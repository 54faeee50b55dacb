/**
 * Writes the report from the saved results under `outDir`: every chart as `charts/<name>.svg` (so GitHub shows
 * them in report.md), `report.md`, and `report.html` with the same content and the SVGs inline (one file, no
 * scripts, nothing fetched).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportBlocks } from './report-content';
import { chartsOf, renderHtml, renderMarkdown } from './report-document';
import { loadResults } from './results';
import { renderSvg } from './svg-renderer';

export async function writeReport(outDir: string): Promise<{ markdown: string; html: string; charts: string[] }> {
  const blocks = reportBlocks(loadResults(outDir));
  const chartDir = path.join(outDir, 'charts');
  mkdirSync(chartDir, { recursive: true });
  const svgs = new Map<string, string>();
  for (const chart of chartsOf(blocks)) {
    const svg = await renderSvg(chart.spec);
    svgs.set(chart.name, svg);
    writeFileSync(path.join(chartDir, `${chart.name}.svg`), svg);
  }
  const markdown = path.join(outDir, 'report.md');
  const html = path.join(outDir, 'report.html');
  writeFileSync(markdown, renderMarkdown(blocks));
  writeFileSync(html, renderHtml(blocks, svgs, 'Hybrid Shop bench report'));
  return { markdown, html, charts: [...svgs.keys()].map((name) => path.join(chartDir, `${name}.svg`)) };
}
