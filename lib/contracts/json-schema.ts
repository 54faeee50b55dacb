/**
 * zod → JSON Schema (draft 2020-12) for the contracts in `docs/contracts/` (`npm run contracts`), as a client checks
 * what it sends: `io: 'input'`, so an object that drops unknown fields (`z.object`) stays open and only a strict one
 * (`z.strictObject`) is closed. What JSON Schema cannot say is refused rather than left out silently: a regex with
 * flags (JSON Schema patterns have none), and a refinement (`z.refine`, `z.superRefine`) on a schema that carries no
 * metadata (`z.meta`) saying it in JSON Schema's words (`format`, `uniqueItemProperties`…).
 */
import * as z from 'zod/mini';

/** A JSON Schema, as JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** A zod schema the contracts cannot render faithfully; names the schema's place and what to do. */
export class UnrepresentableSchemaError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'UnrepresentableSchemaError';
  }
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
}

function checksOf(schema: z.core.$ZodType): readonly CheckDef[] {
  return (schema._zod.def.checks ?? []).map((check) => check._zod.def as CheckDef);
}

function placeOf(name: string, path: readonly (string | number)[]): string {
  return path.length === 0 ? name : `${name} at ${path.join('.')}`;
}

/**
 * The JSON Schema of `schema`, without `$schema` (the document it goes into says which draft).
 * @param name what to call the schema in an error (`POST /orders request body`).
 * @throws UnrepresentableSchemaError for a flagged regex or an undescribed refinement.
 */
export function jsonSchemaOf(schema: z.ZodMiniType, name: string): JsonSchema {
  const rendered: Record<string, unknown> = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    override: ({ zodSchema, path }) => {
      for (const check of checksOf(zodSchema)) {
        if (check.format === 'regex' && check.pattern !== undefined && check.pattern.flags !== '') {
          throw new UnrepresentableSchemaError(
            placeOf(name, path),
            `the pattern ${String(check.pattern)} has flags, which a JSON Schema pattern cannot carry: spell them out (e.g. [a-fA-F] for /i)`,
          );
        }
        if (check.check === 'custom' && z.globalRegistry.get(zodSchema) === undefined) {
          throw new UnrepresentableSchemaError(
            placeOf(name, path),
            'a refinement JSON Schema cannot run: say what it checks with z.meta({ … }) beside it (a format, uniqueItemProperties …)',
          );
        }
      }
    },
  });
  delete rendered.$schema;
  return rendered;
}
