/**
 * fast-check arbitraries from a contract's JSON Schema (the subset the generator writes): `validOf` makes values the
 * schema accepts, `mutatedOf` breaks one of them in one place (a value replaced, a field dropped or added, an item
 * repeated or removed, a number nudged, a string lengthened), so a test sees both sides of every boundary.
 */
import fc from 'fast-check';
import type { Json } from './contract-documents';

const asJson = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
/** Keeps generated numbers and lists small enough to read in a counterexample. */
const SMALL = 1_000_000;

function stringOf(schema: Json): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 40);
  if (schema.format === 'date-time') return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter((text) => [...text].length >= minLength && [...text].length <= maxLength);
  }
  // Short ones, and ones exactly as long as the bounds allow (a mutation adds or takes a character).
  const exactly = (length: number) => fc.string({ minLength: length, maxLength: length });
  return fc.oneof(fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) }), exactly(minLength), exactly(maxLength));
}

function integerOf(schema: Json): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? Math.max(schema.minimum, -SMALL) : -SMALL;
  const max = typeof schema.maximum === 'number' ? Math.min(schema.maximum, SMALL) : SMALL;
  // The bounds themselves, often: that is where a schema and a handler disagree.
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
}

function arrayOf(schema: Json): fc.Arbitrary<unknown[]> {
  const item = validOf(asJson(schema.items));
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const maxLength = typeof schema.maxItems === 'number' ? schema.maxItems : minLength + 5;
  const unique = Array.isArray(schema.uniqueItemProperties) ? (schema.uniqueItemProperties as string[]) : [];
  const selector = (value: unknown) => unique.map((name) => JSON.stringify(asJson(value)[name])).join('|');
  const between = (min: number, max: number) => (unique.length > 0 ? fc.uniqueArray(item, { minLength: min, maxLength: max, selector }) : fc.array(item, { minLength: min, maxLength: max }));
  // Short ones, and ones exactly as long as the bounds allow (a mutation adds or takes an item).
  return fc.oneof(between(minLength, Math.min(maxLength, minLength + 5)), between(minLength, minLength), between(maxLength, maxLength));
}

function objectOf(schema: Json): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(asJson(schema.properties)).map(([name, property]) => [name, validOf(asJson(property))] as const);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return fc.record(Object.fromEntries(properties), { requiredKeys: required });
}

/** Values `schema` accepts. */
export function validOf(schema: Json): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as unknown[]).map((alternative) => validOf(asJson(alternative))));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringOf(schema);
    case 'integer':
      return integerOf(schema);
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'array':
      return arrayOf(schema);
    case 'object':
      return objectOf(schema);
    default:
      throw new Error(`validOf: a schema this arbitrary does not know: ${JSON.stringify(schema)}`);
  }
}

type Path = readonly (string | number)[];

/** Every place in `value`, itself first. */
function pathsIn(value: unknown, at: Path = []): Path[] {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, index) => pathsIn(item, [...at, index]))];
  if (typeof value === 'object' && value !== null) return [at, ...Object.entries(value).flatMap(([key, item]) => pathsIn(item, [...at, key]))];
  return [at];
}

type Mutation = (node: unknown, replacement: unknown) => unknown;

const MUTATIONS: readonly Mutation[] = [
  (_node, replacement) => replacement,
  (node) => (Array.isArray(node) ? node.slice(1) : typeof node === 'object' && node !== null ? Object.fromEntries(Object.entries(node).slice(1)) : node),
  (node, replacement) => (Array.isArray(node) ? [...node, ...node] : typeof node === 'object' && node !== null ? { ...node, unknownField: replacement } : node),
  (node) => (typeof node === 'number' ? node + 1 : typeof node === 'string' ? `${node}x` : node),
  (node) => (typeof node === 'number' ? node - 1 : typeof node === 'string' ? node.slice(1) : node),
  (node) => (typeof node === 'number' ? node + 0.5 : typeof node === 'string' ? node.repeat(40) : node),
  (node) => (typeof node === 'number' ? String(node) : typeof node === 'string' ? node.toLowerCase() : node),
];

function replaceAt(value: unknown, at: Path, mutate: (node: unknown) => unknown): unknown {
  if (at.length === 0) return mutate(value);
  const [head, ...rest] = at;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, mutate) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, mutate) };
}

/** Values of `schema` broken in one place each: some still valid, most not. */
export function mutatedOf(schema: Json): fc.Arbitrary<unknown> {
  return fc
    .tuple(validOf(schema), fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([value, place, which, replacement]) => {
      const paths = pathsIn(value);
      return replaceAt(value, paths[place % paths.length], (node) => MUTATIONS[which](node, replacement));
    });
}

/** What a client may send: valid values, mutated ones, and any JSON at all; each as it comes out of JSON.parse. */
export function bodiesOf(schema: Json): fc.Arbitrary<unknown> {
  return fc.oneof(validOf(schema), mutatedOf(schema), mutatedOf(schema), fc.jsonValue({ maxDepth: 3 })).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
}
