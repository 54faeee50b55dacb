import * as z from 'zod/mini';

/** A zod check for an array of lines: each sku on one line only; a repeat is named `[i].sku` under the array. */
export function uniqueSkus() {
  return z.superRefine((lines: readonly { readonly sku: string }[], ctx) => {
    const seen = new Set<string>();
    lines.forEach((line, index) => {
      if (seen.has(line.sku)) {
        ctx.addIssue({ code: 'custom', path: [index, 'sku'], message: 'appears on an earlier line', input: line.sku });
      }
      seen.add(line.sku);
    });
  });
}

/**
 * What `uniqueSkus` checks, in the words of JSON Schema (ajv-keywords' `uniqueItemProperties`): metadata for the
 * generated contracts (`npm run contracts`), which cannot run the check itself. Give it beside `uniqueSkus()`.
 */
export const UNIQUE_SKUS_META = { uniqueItemProperties: ['sku'] };
