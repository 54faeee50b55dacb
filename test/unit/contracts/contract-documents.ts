/**
 * The committed contracts (docs/contracts/) as the tests read them, and a JSON Schema validator for them: ajv for
 * draft 2020-12, with the formats the documents use (`date-time`) and ajv-keywords' `uniqueItemProperties`, the
 * keyword the documents state `uniqueSkus` with. Nothing here validates by hand.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import addKeywords from 'ajv-keywords';

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
