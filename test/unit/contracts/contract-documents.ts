/**
 * The committed contracts (docs/contracts/) as the tests read them, and a JSON Schema validator for them: ajv for
 * draft 2020-12, with the formats the documents use (`date-time`) and ajv-keywords' `uniqueItemProperties`, the
 * keyword the documents state `uniqueSkus` with. Nothing here validates by hand. `expectSameVerdicts` runs generated
 * bodies through the code and a document alike.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import addKeywords from 'ajv-keywords';
import fc from 'fast-check';
import { bodiesOf } from './json-schema-arbitrary';

export const CONTRACTS_DIR = path.join(__dirname, '..', '..', '..', 'docs', 'contracts');

export type Json = { readonly [key: string]: unknown };

const parsed = new Map<string, Json>();

/** A committed contract file, parsed (once: an event schema's `$id` may be compiled once only). */
export function contractFile(file: string): Json {
  let document = parsed.get(file);
  if (document === undefined) {
    document = JSON.parse(readFileSync(path.join(CONTRACTS_DIR, file), 'utf8')) as Json;
    parsed.set(file, document);
  }
  return document;
}

/** The schema of `method path`'s JSON request body in an OpenAPI document. */
export function requestBodySchema(document: Json, method: string, routePath: string): Json {
  const operation = ((document.paths as Json)[routePath] as Json)[method.toLowerCase()] as Json;
  return ((((operation.requestBody as Json).content as Json)['application/json'] as Json).schema ?? {}) as Json;
}

export interface Verdict {
  readonly valid: boolean;
  readonly errors: readonly ErrorObject[];
}

/** Validates values against schemas, compiling each schema once. */
export class ContractValidator {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly compiled = new WeakMap<object, ReturnType<Ajv2020['compile']>>();

  constructor() {
    addFormats(this.ajv);
    addKeywords(this.ajv, ['uniqueItemProperties']);
  }

  verdict(schema: Json, value: unknown): Verdict {
    let validate = this.compiled.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    const valid = validate(value) === true;
    return { valid, errors: validate.errors ?? [] };
  }
}

/**
 * Runs `numRuns` generated bodies (`bodiesOf` the document's schema) through the code and the document, expecting the
 * same verdict on each; and that both verdicts occurred, so the property was not decided by one side alone.
 */
export async function expectSameVerdicts(
  validator: ContractValidator,
  schema: Json,
  codeAccepts: (body: unknown) => boolean | Promise<boolean>,
  numRuns = 300,
): Promise<void> {
  const seen = { accepted: 0, rejected: 0 };
  await fc.assert(
    fc.asyncProperty(bodiesOf(schema), async (body) => {
      const document = validator.verdict(schema, body);
      const code = await codeAccepts(body);
      seen[code ? 'accepted' : 'rejected']++;
      if (code !== document.valid) {
        const why = document.errors.map((error) => `${error.instancePath} ${error.message}`);
        throw new Error(`the code ${code ? 'accepts' : 'rejects'} it, the document ${document.valid ? 'accepts it' : `rejects it (${JSON.stringify(why)})`}`);
      }
    }),
    { numRuns },
  );
  expect(seen.accepted).toBeGreaterThan(numRuns / 10);
  expect(seen.rejected).toBeGreaterThan(numRuns / 10);
}
