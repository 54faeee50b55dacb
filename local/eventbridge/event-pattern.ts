/**
 * EventBridge event patterns: the complete content-filtering language of the EventBridge user guide ("Event pattern
 * syntax", "Comparison operators for use in event patterns", "Content filtering in Amazon EventBridge event
 * patterns", "Arrays in EventBridge event patterns"), compiled once and matched against events.
 *
 * - A pattern is a JSON object. Its fields are ANDed; a field's array of values is ORed. A nested object matches the
 *   event's nested object (or, when the event holds an array of objects, any one element of it).
 * - Values: exact strings, numbers (compared as numbers), `true`, `false`, `null`, `""`; and the operators `prefix`,
 *   `suffix` (each also with `equals-ignore-case` inside), `equals-ignore-case`, `wildcard`, `anything-but` (a value,
 *   a list, or `prefix` / `suffix` / `equals-ignore-case` / `wildcard` inside), `numeric`, `exists`, `cidr`; `$or`.
 * - An event field holding an array matches when any of its elements matches. Operators only look at leaf values:
 *   a field holding an object (or an empty array) counts as absent, so `{"exists": false}` matches it.
 *
 * Validation follows AWS (which runs the open-source Event Ruler): a malformed pattern throws
 * `InvalidEventPatternError` with AWS's message, `Event pattern is not valid. Reason: …` (AWS appends the JSON
 * parser's position, which is left out here).
 *
 * Numbers follow Event Ruler: numeric matching works on JSON numbers from -5.0e9 to +5.0e9 with six digits after the
 * decimal point; an event number outside that range never matches `numeric`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { isRecord } from '../shared/json';

/** A pattern AWS would reject (HTTP 400 InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  public readonly errorCode = 'InvalidEventPatternException';

  public constructor(public readonly reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternError';
  }
}

/** A scalar an operator can test: what is left of an event field once arrays are flattened. */
type Leaf = string | number | boolean | null;

/** Tests one leaf value of an event field. */
interface ValueMatcher {
  test(value: Leaf): boolean;
}

/** The condition on one field: its value list (ORed), and whether `exists` appears in it. */
interface FieldCondition {
  readonly kind: 'field';
  readonly matchers: readonly ValueMatcher[];
  /** `{"exists": true}` in the list. */
  readonly existsTrue: boolean;
  /** `{"exists": false}` in the list. */
  readonly existsFalse: boolean;
}

/** A pattern object: every field must match, and one alternative of every `$or`. */
interface PatternNode {
  readonly kind: 'node';
  readonly fields: ReadonlyMap<string, FieldCondition | PatternNode>;
  readonly alternatives: readonly (readonly PatternNode[])[];
}

/** The operators that name a match expression, which therefore cannot be field names inside `$or`. */
const RESERVED_IN_OR = new Set([
  'anything-but',
  'cidr',
  'equals-ignore-case',
  'exact',
  'exists',
  'numeric',
  'prefix',
  'suffix',
  'wildcard',
]);
const OR = '$or';
const FIVE_BILLION = 5e9;

/** A compiled event pattern. */
export class EventPattern {
  private constructor(
    private readonly root: PatternNode,
    /** The pattern as JSON text (what DescribeRule answers). */
    public readonly source: string,
  ) {}

  /**
   * Compiles a pattern given as JSON text (PutRule's `EventPattern`) or as the parsed object (a template's
   * `EventPattern`); throws InvalidEventPatternError.
   */
  public static compile(pattern: unknown): EventPattern {
    let parsed: unknown = pattern;
    if (typeof pattern === 'string') {
      try {
        parsed = JSON.parse(pattern);
      } catch (error) {
        throw new InvalidEventPatternError(`${(error as Error).message}`);
      }
    }
    if (!isRecord(parsed)) throw new InvalidEventPatternError('Filter is not an object');
    return new EventPattern(compileNode(parsed, false), typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
  }

  /** Whether the event (an EventBridge event as JSON, or its parsed object) matches. */
  public matches(event: unknown): boolean {
    const parsed = typeof event === 'string' ? (JSON.parse(event) as unknown) : event;
    return matchNode(this.root, isRecord(parsed) ? parsed : {});
  }
}

/** Compiles and matches in one go; throws InvalidEventPatternError for a bad pattern. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return EventPattern.compile(pattern).matches(event);
}

// ---- compiling -------------------------------------------------------------------------------------------------

function compileNode(pattern: Record<string, unknown>, insideOr: boolean): PatternNode {
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw new InvalidEventPatternError('Empty objects are not allowed');
  const fields = new Map<string, FieldCondition | PatternNode>();
  const alternatives: PatternNode[][] = [];
  for (const [name, value] of entries) {
    if (name === OR) {
      alternatives.push(compileOr(value));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) {
      throw new InvalidEventPatternError(`${name} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    }
    if (Array.isArray(value)) fields.set(name, compileField(value));
    else if (isRecord(value)) fields.set(name, compileNode(value, insideOr));
    else throw new InvalidEventPatternError(`"${name}" must be an object or an array`);
  }
  return { kind: 'node', fields, alternatives };
}

function compileOr(value: unknown): PatternNode[] {
  if (!Array.isArray(value)) throw new InvalidEventPatternError(`It must be an Array followed with ${OR}.`);
  const branches = value.map((branch) => {
    if (!isRecord(branch)) throw new InvalidEventPatternError(`Only JSON object is allowed in array of ${OR} relationship.`);
    return compileNode(branch, true);
  });
  if (branches.length < 2) throw new InvalidEventPatternError(`There must have at least 2 Objects in ${OR} relationship.`);
  return branches;
}

function compileField(values: readonly unknown[]): FieldCondition {
  if (values.length === 0) throw new InvalidEventPatternError('Empty arrays are not allowed');
  const matchers: ValueMatcher[] = [];
  let existsTrue = false;
  let existsFalse = false;
  for (const value of values) {
    if (isRecord(value)) {
      const expression = compileExpression(value);
      if (expression === 'exists-true') existsTrue = true;
      else if (expression === 'exists-false') existsFalse = true;
      else matchers.push(expression);
    } else if (typeof value === 'string') {
      matchers.push(exactString(value));
    } else if (typeof value === 'number') {
      matchers.push(exactNumber(value));
    } else if (typeof value === 'boolean' || value === null) {
      matchers.push({ test: (leaf) => leaf === value });
    } else {
      throw new InvalidEventPatternError('Match value must be String, number, true, false, or null');
    }
  }
  return { kind: 'field', matchers, existsTrue, existsFalse };
}

function compileExpression(expression: Record<string, unknown>): ValueMatcher | 'exists-true' | 'exists-false' {
  const keys = Object.keys(expression);
  if (keys.length === 0) throw new InvalidEventPatternError('Match expression name not found');
  const [operator] = keys;
  const operand = expression[operator];
  const onlyOneKey = () => {
    if (keys.length > 1) throw new InvalidEventPatternError('Only one key allowed in match expression');
  };
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const ignoreCase = isRecord(operand);
      const text = ignoreCase ? nestedIgnoreCase(operand, operator) : operand;
      if (typeof text !== 'string') throw new InvalidEventPatternError(`${operator} match pattern must be a string`);
      onlyOneKey();
      return operator === 'prefix' ? prefixMatcher(text, ignoreCase) : suffixMatcher(text, ignoreCase);
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
      onlyOneKey();
      return { test: (leaf) => typeof leaf === 'string' && equalsIgnoringCase(leaf, operand) };
    }
    case 'wildcard': {
      if (typeof operand !== 'string') throw new InvalidEventPatternError('wildcard match pattern must be a string');
      const regex = wildcardRegex(operand);
      onlyOneKey();
      return { test: (leaf) => typeof leaf === 'string' && regex.test(leaf) };
    }
    case 'anything-but': {
      if (keys.length > 1) throw new InvalidEventPatternError('Too many elements in numeric expression');
      return anythingBut(operand);
    }
    case 'numeric': {
      if (!Array.isArray(operand)) throw new InvalidEventPatternError('Value of numeric must be an array.');
      const range = numericRange(operand);
      if (keys.length > 1) throw new InvalidEventPatternError('Too many elements in numeric expression');
      return range;
    }
    case 'exists': {
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError('exists match pattern must be either true or false.');
      onlyOneKey();
      return operand ? 'exists-true' : 'exists-false';
    }
    case 'cidr': {
      if (typeof operand !== 'string') throw new InvalidEventPatternError('prefix match pattern must be a string');
      const range = cidrRange(operand);
      onlyOneKey();
      return { test: (leaf) => typeof leaf === 'string' && inRange(range, leaf) };
    }
    default:
      throw new InvalidEventPatternError(`Unrecognized match type ${operator}`);
  }
}

/** `{"prefix": {"equals-ignore-case": "eventb"}}`: the text inside. */
function nestedIgnoreCase(operand: Record<string, unknown>, operator: 'prefix' | 'suffix'): unknown {
  const [inner, ...more] = Object.keys(operand);
  const label = operator === 'prefix' ? 'Prefix' : 'Suffix';
  if (inner === undefined) throw new InvalidEventPatternError(`${label} expression name not found`);
  if (inner !== 'equals-ignore-case') throw new InvalidEventPatternError(`Unsupported ${operator} pattern: ${inner}`);
  if (typeof operand[inner] !== 'string') throw new InvalidEventPatternError('equals-ignore-case match pattern must be a string');
  if (more.length > 0) throw new InvalidEventPatternError('Only one key allowed in match expression');
  return operand[inner];
}

function exactString(value: string): ValueMatcher {
  // Event Ruler compares IP address literals as addresses: "10.0.0.1" in a pattern matches the same address however written.
  const address = parseIp(value);
  if (address) return { test: (leaf) => leaf === value || (typeof leaf === 'string' && sameAddress(address, parseIp(leaf))) };
  return { test: (leaf) => leaf === value };
}

function exactNumber(value: number): ValueMatcher {
  const comparable = comparableNumber(value);
  return {
    test: (leaf) => typeof leaf === 'number' && (leaf === value || (comparable !== undefined && comparable === comparableNumber(leaf))),
  };
}

function prefixMatcher(prefix: string, ignoreCase: boolean): ValueMatcher {
  if (!ignoreCase) return { test: (leaf) => typeof leaf === 'string' && leaf.startsWith(prefix) };
  const folded = prefix.toLowerCase();
  return { test: (leaf) => typeof leaf === 'string' && leaf.toLowerCase().startsWith(folded) };
}

function suffixMatcher(suffix: string, ignoreCase: boolean): ValueMatcher {
  if (!ignoreCase) return { test: (leaf) => typeof leaf === 'string' && leaf.endsWith(suffix) };
  const folded = suffix.toLowerCase();
  return { test: (leaf) => typeof leaf === 'string' && leaf.toLowerCase().endsWith(folded) };
}

function equalsIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

/**
 * `*` matches any run of characters (none included); `\*` is a literal asterisk and `\\` a literal backslash. Two
 * consecutive asterisks, and a backslash before anything else, are invalid (positions counted as AWS does, from the
 * opening quote of the JSON string).
 */
function wildcardRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      source += '.*';
    } else if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new InvalidEventPatternError(`Invalid escape character at pos ${i + 1}`);
      source += escapeRegex(next);
      i++;
    } else {
      source += escapeRegex(char);
    }
  }
  return new RegExp(`^${source}$`, 'su');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function anythingBut(operand: unknown): ValueMatcher {
  if (isRecord(operand)) return anythingButOperator(operand);
  if (typeof operand === 'string') return anythingButValues([operand]);
  if (typeof operand === 'number') return anythingButValues([operand]);
  if (Array.isArray(operand)) {
    const strings = operand.every((v) => typeof v === 'string');
    const numbers = operand.every((v) => typeof v === 'number');
    if (operand.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported.');
    }
    if (operand.length === 0 || (!strings && !numbers)) {
      throw new InvalidEventPatternError('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    return anythingButValues(operand as (string | number)[]);
  }
  throw new InvalidEventPatternError('Value of anything-but must be an array or single string/number value.');
}

/** `anything-but` a value or list: every leaf matches but these (a string never equals a number). */
function anythingButValues(excluded: readonly (string | number)[]): ValueMatcher {
  const strings = new Set(excluded.filter((v): v is string => typeof v === 'string'));
  const numbers = excluded.filter((v): v is number => typeof v === 'number').map((n) => {
    const comparable = comparableNumber(n);
    if (comparable === undefined) throw new InvalidEventPatternError(`Value must be between -5.0E9 and 5.0E9, inclusive`);
    return comparable;
  });
  return {
    test: (leaf) => {
      if (typeof leaf === 'string') return !strings.has(leaf);
      if (typeof leaf === 'number') return !numbers.includes(comparableNumber(leaf) ?? Number.NaN);
      return true;
    },
  };
}

/** `anything-but` with `prefix`, `suffix`, `equals-ignore-case` or `wildcard` inside (one string or a list). */
function anythingButOperator(operand: Record<string, unknown>): ValueMatcher {
  const [operator, ...more] = Object.keys(operand);
  if (operator === undefined) throw new InvalidEventPatternError('Anything-But expression name not found');
  if (!['equals-ignore-case', 'prefix', 'suffix', 'wildcard'].includes(operator)) {
    throw new InvalidEventPatternError(`Unsupported anything-but pattern: ${operator}`);
  }
  const value = operand[operator];
  if (typeof value !== 'string' && !Array.isArray(value) && typeof value !== 'number') {
    throw new InvalidEventPatternError('Value of anything-but must be an array or single string/number value.');
  }
  const texts = (Array.isArray(value) ? value : [value]).map((text) => {
    if (typeof text === 'string') {
      if ((operator === 'prefix' || operator === 'suffix') && text === '') throw new InvalidEventPatternError('Null prefix/suffix not allowed');
      return text;
    }
    if (operator === 'equals-ignore-case') {
      throw new InvalidEventPatternError('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    }
    throw new InvalidEventPatternError(operator === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
  });
  if (more.length > 0) throw new InvalidEventPatternError('Too many elements in numeric expression');
  const excluded: ValueMatcher[] = texts.map((text) => {
    switch (operator) {
      case 'prefix':
        return prefixMatcher(text, false);
      case 'suffix':
        return suffixMatcher(text, false);
      case 'equals-ignore-case':
        return { test: (leaf: Leaf) => typeof leaf === 'string' && equalsIgnoringCase(leaf, text) };
      default: {
        const regex = wildcardRegex(text);
        return { test: (leaf: Leaf) => typeof leaf === 'string' && regex.test(leaf) };
      }
    }
  });
  return { test: (leaf) => !excluded.some((matcher) => matcher.test(leaf)) };
}

/** `["=", n]`, `[">" | ">=", n]`, `["<" | "<=", n]` or `[">" | ">=", low, "<" | "<=", high]`. */
function numericRange(terms: readonly unknown[]): ValueMatcher {
  const [operator, first, ...rest] = terms;
  if (typeof operator !== 'string') throw new InvalidEventPatternError(`Invalid member in numeric match: ${JSON.stringify(operator)}`);
  const numberAt = (value: unknown, op: string): number => {
    if (typeof value !== 'number') throw new InvalidEventPatternError(`Value of ${op} must be numeric`);
    if (comparableNumber(value) === undefined) throw new InvalidEventPatternError('Value must be between -5.0E9 and 5.0E9, inclusive');
    return value;
  };
  const tooMany = () => new InvalidEventPatternError('Too many elements in numeric expression');
  const within = (leaf: Leaf, check: (n: number) => boolean) => {
    if (typeof leaf !== 'number') return false;
    const comparable = comparableNumber(leaf);
    return comparable !== undefined && check(comparable);
  };
  switch (operator) {
    case '=': {
      const value = comparableNumber(numberAt(first, '='));
      if (rest.length > 0) throw tooMany();
      return { test: (leaf) => within(leaf, (n) => n === value) };
    }
    case '<':
    case '<=': {
      const top = comparableNumber(numberAt(first, operator)) ?? 0;
      if (rest.length > 0) throw tooMany();
      return { test: (leaf) => within(leaf, (n) => (operator === '<' ? n < top : n <= top)) };
    }
    case '>':
    case '>=': {
      const bottom = comparableNumber(numberAt(first, operator)) ?? 0;
      const above = (n: number) => (operator === '>' ? n > bottom : n >= bottom);
      if (rest.length === 0) return { test: (leaf) => within(leaf, above) };
      const [upperOperator, upper, ...extra] = rest;
      if (typeof upperOperator !== 'string') throw new InvalidEventPatternError(`Bad value in numeric range: ${JSON.stringify(upperOperator)}`);
      if (upperOperator !== '<' && upperOperator !== '<=') throw new InvalidEventPatternError(`Bad numeric range operator: ${upperOperator}`);
      const top = comparableNumber(numberAt(upper, upperOperator)) ?? 0;
      if (extra.length > 0) throw new InvalidEventPatternError('Too many terms in numeric range expression');
      if (bottom >= top) throw new InvalidEventPatternError('Bottom must be less than top');
      return { test: (leaf) => within(leaf, (n) => above(n) && (upperOperator === '<' ? n < top : n <= top)) };
    }
    default:
      throw new InvalidEventPatternError(`Unrecognized numeric range operator: ${operator}`);
  }
}

/** A number as Event Ruler compares it: within ±5e9, six digits after the point; undefined out of range. */
function comparableNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value < -FIVE_BILLION || value > FIVE_BILLION) return undefined;
  return Math.trunc((value + FIVE_BILLION) * 1e6);
}

// ---- IP addresses ----------------------------------------------------------------------------------------------

interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

interface IpRange {
  readonly version: 4 | 6;
  readonly low: bigint;
  readonly high: bigint;
}

function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { version: 4, value: ipv4Value(text) };
  if (isIPv6(text)) return { version: 6, value: ipv6Value(text) };
  return undefined;
}

function sameAddress(a: IpAddress, b: IpAddress | undefined): boolean {
  return b !== undefined && a.version === b.version && a.value === b.value;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint {
  let address = text.split('%')[0];
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const value = ipv4Value(v4[1]);
    address = `${address.slice(0, v4.index)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

/** `10.0.0.0/24`, `2001:db8::/32`; AWS wants the mask below 32 (IPv4) or 128 (IPv6). */
function cidrRange(cidr: string): IpRange {
  const slashed = cidr.split('/');
  if (slashed.length !== 2) throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  const bits = /^-?\d+$/.test(slashed[1]) ? Number(slashed[1]) : Number.NaN;
  if (!Number.isInteger(bits)) throw new InvalidEventPatternError('Malformed CIDR, mask bits must be an integer');
  if (bits < 0) throw new InvalidEventPatternError('Malformed CIDR, mask bits must not be negative');
  const address = parseIp(slashed[0]);
  if (!address) throw new InvalidEventPatternError(`Invalid IP address: ${slashed[0]}`);
  const width = address.version === 4 ? 32 : 128;
  if (bits > width - 1) throw new InvalidEventPatternError(`IPv${address.version} mask bits must be < ${width}`);
  const hostBits = BigInt(width - bits);
  const hostMask = (1n << hostBits) - 1n;
  return { version: address.version, low: address.value & ~hostMask, high: address.value | hostMask };
}

function inRange(range: IpRange, text: string): boolean {
  const address = parseIp(text);
  return address !== undefined && address.version === range.version && address.value >= range.low && address.value <= range.high;
}

// ---- matching --------------------------------------------------------------------------------------------------

function matchNode(node: PatternNode, event: Record<string, unknown>): boolean {
  for (const [name, condition] of node.fields) {
    const value = event[name];
    const ok = condition.kind === 'field' ? matchField(condition, value) : matchNested(condition, value);
    if (!ok) return false;
  }
  return node.alternatives.every((branches) => branches.some((branch) => matchNode(branch, event)));
}

/** A nested pattern object: against the event's object, or any object element of its array; else against nothing. */
function matchNested(node: PatternNode, value: unknown): boolean {
  if (isRecord(value)) return matchNode(node, value);
  if (Array.isArray(value)) {
    const objects = flatten(value).filter(isRecord);
    if (objects.length > 0) return objects.some((element) => matchNode(node, element));
  }
  return matchNode(node, {});
}

function matchField(condition: FieldCondition, value: unknown): boolean {
  const leaves = leavesOf(value);
  if (leaves.length === 0) return condition.existsFalse;
  if (condition.existsTrue) return true;
  return leaves.some((leaf) => condition.matchers.some((matcher) => matcher.test(leaf)));
}

/** The scalar values of an event field: itself, or the scalar elements of its (nested) arrays. */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined || isRecord(value)) return [];
  if (Array.isArray(value)) return flatten(value).filter(isLeaf);
  return isLeaf(value) ? [value] : [];
}

function flatten(values: readonly unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? flatten(value) : [value]));
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
