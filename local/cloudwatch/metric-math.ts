/**
 * CloudWatch metric math, as GetMetricData and metric-math alarms use it: an expression over the other queries'
 * time series (`100 * errors / requests`), evaluated per timestamp like CloudWatch does.
 *
 * Supported:
 * - numbers, query ids, `+ - * / ^`, unary minus, parentheses, arrays `[m1, m2]`;
 * - comparisons `< <= > >= == !=` and `AND`/`&&`, `OR`/`||`, `NOT`/`!` (1 for true, 0 for false), for `IF`;
 * - functions ABS, CEIL, FLOOR, SUM, AVG, MIN, MAX (over an array: per timestamp; over one series: a scalar),
 *   FILL(x, value | REPEAT | LINEAR), IF(condition, then[, else]), DIFF, RATE, PERIOD, METRICS([filter]).
 *
 * Two series combine only at the timestamps both have (a period missing in either has no datapoint; FILL makes it
 * one); dividing by zero gives no datapoint. Not supported, each rejected with an error that names it: SEARCH,
 * Metrics Insights (`SELECT …`), anomaly detection bands, and any other function.
 */

/** An expression CloudWatch would reject, or one the local runtime does not evaluate. */
export class MetricMathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricMathError';
  }
}

/** A time series on the query's grid: ascending timestamps (epoch ms) and their values. */
export interface TimeSeries {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'AND' | 'OR';

export type MathNode =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'keyword'; readonly value: 'REPEAT' | 'LINEAR' }
  | { readonly type: 'id'; readonly id: string; readonly position: number }
  | { readonly type: 'array'; readonly items: readonly MathNode[] }
  | { readonly type: 'negate' | 'not'; readonly operand: MathNode }
  | { readonly type: 'binary'; readonly operator: BinaryOperator; readonly left: MathNode; readonly right: MathNode }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly MathNode[]; readonly position: number };

export interface MathExpression {
  readonly text: string;
  readonly root: MathNode;
  /** The query ids the expression names. */
  readonly references: ReadonlySet<string>;
  /** Whether it calls METRICS(), which reads every MetricStat query of the request. */
  readonly usesAllMetrics: boolean;
}

export interface MathContext {
  /** The other queries' results, by id. */
  readonly series: ReadonlyMap<string, TimeSeries>;
  /** The ids of the MetricStat queries (what METRICS() returns), with their labels. */
  readonly metricLabels: ReadonlyMap<string, string>;
  /** Every period start of the queried range, ascending: where FILL puts values and a constant has datapoints. */
  readonly grid: readonly number[];
  readonly periodSeconds: number;
}

const FUNCTIONS: Readonly<Record<string, { readonly min: number; readonly max: number }>> = {
  ABS: { min: 1, max: 1 },
  AVG: { min: 1, max: 1 },
  CEIL: { min: 1, max: 1 },
  DIFF: { min: 1, max: 1 },
  FILL: { min: 2, max: 2 },
  FLOOR: { min: 1, max: 1 },
  IF: { min: 2, max: 3 },
  MAX: { min: 1, max: 1 },
  METRICS: { min: 0, max: 1 },
  MIN: { min: 1, max: 1 },
  PERIOD: { min: 1, max: 1 },
  RATE: { min: 1, max: 1 },
  SUM: { min: 1, max: 1 },
};
const SUPPORTED_LIST = Object.keys(FUNCTIONS).join(', ');
/** Why some CloudWatch functions cannot work locally. */
const UNSUPPORTED_REASONS: Readonly<Record<string, string>> = {
  SEARCH: 'SEARCH queries the whole CloudWatch catalogue, which the local runtime does not have',
  ANOMALY_DETECTION_BAND: 'anomaly detection needs a trained model, which the local runtime does not have',
  INSIGHT_RULE_METRIC: 'Contributor Insights rules are not emulated',
  SERVICE_QUOTA: 'service quotas are not emulated',
  LAMBDA: 'metric math Lambda functions are not emulated',
};

// ---------------------------------------------------------------------------------------------------------------
// Parsing

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly position: number }
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  | { readonly kind: 'word'; readonly value: string; readonly position: number }
  | { readonly kind: 'symbol'; readonly value: string; readonly position: number }
  | { readonly kind: 'end'; readonly value: ''; readonly position: number };

const SYMBOLS = ['<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '^', '(', ')', '[', ']', ',', '<', '>', '!'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]), position: i + 1 });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word !== null) {
      tokens.push({ kind: 'word', value: word[0], position: i + 1 });
      i += word[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) throw new MetricMathError(`Unterminated string at column ${i + 1} of ${JSON.stringify(text)}`);
      tokens.push({ kind: 'string', value: text.slice(i + 1, close), position: i + 1 });
      i = close + 1;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (symbol === undefined) throw new MetricMathError(`Unexpected character ${JSON.stringify(c)} at column ${i + 1} of ${JSON.stringify(text)}`);
    tokens.push({ kind: 'symbol', value: symbol, position: i + 1 });
    i += symbol.length;
  }
  tokens.push({ kind: 'end', value: '', position: text.length + 1 });
  return tokens;
}

class Parser {
  private index = 0;
  readonly references = new Set<string>();
  usesAllMetrics = false;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): MathNode {
    const first = this.tokens[0];
    if (first.kind === 'word' && first.value.toUpperCase() === 'SELECT') {
      throw new MetricMathError(`Metrics Insights queries (${JSON.stringify(this.text)}) are not supported locally: use MetricStat queries and metric math`);
    }
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') this.fail(next, 'an operator or the end of the expression');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private take(): Token {
    return this.tokens[this.index++];
  }

  private isSymbol(...values: string[]): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && values.includes(token.value);
  }

  private isWord(...values: string[]): boolean {
    const token = this.peek();
    return token.kind === 'word' && values.includes(token.value);
  }

  private expect(symbol: string): void {
    const token = this.take();
    if (token.kind !== 'symbol' || token.value !== symbol) this.fail(token, `"${symbol}"`);
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === 'end' ? 'the end of the expression' : JSON.stringify(String(token.value));
    throw new MetricMathError(`Expected ${expected} at column ${token.position} of ${JSON.stringify(this.text)}, found ${found}`);
  }

  /** `operand (operator operand)*`, grouped from the left; `operatorAt` names the operator the next token is, if any. */
  private leftAssociative(operand: () => MathNode, operatorAt: () => BinaryOperator | undefined): MathNode {
    let left = operand();
    for (let operator = operatorAt(); operator !== undefined; operator = operatorAt()) {
      this.take();
      left = { type: 'binary', operator, left, right: operand() };
    }
    return left;
  }

  /** The next token's symbol when it is one of `operators`. */
  private symbolAmong(...operators: BinaryOperator[]): BinaryOperator | undefined {
    return this.isSymbol(...operators) ? (this.peek().value as BinaryOperator) : undefined;
  }

  private or(): MathNode {
    return this.leftAssociative(() => this.and(), () => (this.isWord('OR') || this.isSymbol('||') ? 'OR' : undefined));
  }

  private and(): MathNode {
    return this.leftAssociative(() => this.not(), () => (this.isWord('AND') || this.isSymbol('&&') ? 'AND' : undefined));
  }

  private not(): MathNode {
    if (this.isWord('NOT') || this.isSymbol('!')) {
      this.take();
      return { type: 'not', operand: this.not() };
    }
    return this.comparison();
  }

  private comparison(): MathNode {
    const left = this.additive();
    const operator = this.symbolAmong('<', '<=', '>', '>=', '==', '!=');
    if (operator === undefined) return left;
    this.take();
    return { type: 'binary', operator, left, right: this.additive() };
  }

  private additive(): MathNode {
    return this.leftAssociative(() => this.multiplicative(), () => this.symbolAmong('+', '-'));
  }

  private multiplicative(): MathNode {
    return this.leftAssociative(() => this.unary(), () => this.symbolAmong('*', '/'));
  }

  private unary(): MathNode {
    if (this.isSymbol('-')) {
      this.take();
      return { type: 'negate', operand: this.unary() };
    }
    if (this.isSymbol('+')) {
      this.take();
      return this.unary();
    }
    return this.power();
  }

  private power(): MathNode {
    const base = this.primary();
    if (this.isSymbol('^')) {
      this.take();
      return { type: 'binary', operator: '^', left: base, right: this.unary() };
    }
    return base;
  }

  private primary(): MathNode {
    const token = this.take();
    switch (token.kind) {
      case 'number':
        return { type: 'number', value: token.value };
      case 'string':
        return { type: 'string', value: token.value };
      case 'symbol':
        if (token.value === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        if (token.value === '[') return { type: 'array', items: this.list(']') };
        return this.fail(token, 'a number, a query id, a function or "("');
      case 'word':
        if (this.isSymbol('(')) return this.call(token.value, token.position);
        if (token.value === 'REPEAT' || token.value === 'LINEAR') return { type: 'keyword', value: token.value };
        if (!/^[a-z]/.test(token.value)) {
          throw new MetricMathError(
            `${JSON.stringify(token.value)} at column ${token.position} of ${JSON.stringify(this.text)} is not a query id: ids start with a lower-case letter`,
          );
        }
        this.references.add(token.value);
        return { type: 'id', id: token.value, position: token.position };
      case 'end':
        return this.fail(token, 'a number, a query id, a function or "("');
    }
  }

  private call(name: string, position: number): MathNode {
    this.expect('(');
    const args = this.list(')');
    const signature = FUNCTIONS[name];
    if (signature === undefined) {
      const reason = UNSUPPORTED_REASONS[name.toUpperCase()];
      if (reason !== undefined) throw new MetricMathError(`${name} at column ${position} is not supported locally: ${reason}`);
      const hint = FUNCTIONS[name.toUpperCase()] !== undefined ? ` (function names are upper case: ${name.toUpperCase()})` : '';
      throw new MetricMathError(`Unknown function ${name} at column ${position} of ${JSON.stringify(this.text)}${hint}; the local metric math has ${SUPPORTED_LIST}`);
    }
    if (args.length < signature.min || args.length > signature.max) {
      const expected = signature.min === signature.max ? `${signature.min}` : `${signature.min} to ${signature.max}`;
      throw new MetricMathError(`${name} at column ${position} takes ${expected} argument(s), got ${args.length}`);
    }
    if (name === 'METRICS') this.usesAllMetrics = true;
    return { type: 'call', name, args, position };
  }

  private list(close: ')' | ']'): MathNode[] {
    const items: MathNode[] = [];
    if (this.isSymbol(close)) {
      this.take();
      return items;
    }
    for (;;) {
      items.push(this.or());
      const token = this.take();
      if (token.kind === 'symbol' && token.value === close) return items;
      if (token.kind !== 'symbol' || token.value !== ',') this.fail(token, `"," or "${close}"`);
    }
  }
}

/**
 * Parses a metric math expression.
 * @throws MetricMathError naming the column of a syntax error, an unknown function, or an unsupported one
 */
export function parseExpression(text: string): MathExpression {
  if (text.trim() === '') throw new MetricMathError('The expression is empty');
  const parser = new Parser(text, tokenize(text));
  const root = parser.parse();
  return { text, root, references: parser.references, usesAllMetrics: parser.usesAllMetrics };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

type Value =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly series: TimeSeries }
  | { readonly kind: 'array'; readonly items: readonly TimeSeries[] }
  | { readonly kind: 'text'; readonly text: string };

const scalar = (value: number): Value => ({ kind: 'scalar', value });
const seriesValue = (series: TimeSeries): Value => ({ kind: 'series', series });

/** Keeps the finite results only: a division by zero (or any non-finite result) is no datapoint. */
function build(timestamps: number[], values: number[]): TimeSeries {
  const keptTimes: number[] = [];
  const keptValues: number[] = [];
  for (let i = 0; i < timestamps.length; i++) {
    if (Number.isFinite(values[i])) {
      keptTimes.push(timestamps[i]);
      keptValues.push(values[i]);
    }
  }
  return { timestamps: keptTimes, values: keptValues };
}

function mapSeries(series: TimeSeries, f: (value: number, index: number) => number): TimeSeries {
  return build([...series.timestamps], series.values.map(f));
}

/** The values of two series at the timestamps both have. */
function join(left: TimeSeries, right: TimeSeries, f: (a: number, b: number) => number): TimeSeries {
  const timestamps: number[] = [];
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.timestamps.length && j < right.timestamps.length) {
    const a = left.timestamps[i];
    const b = right.timestamps[j];
    if (a === b) {
      timestamps.push(a);
      values.push(f(left.values[i], right.values[j]));
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return build(timestamps, values);
}

function operate(operator: BinaryOperator, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? Number.NaN : a / b;
    case '^':
      return a ** b;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

class Evaluator {
  constructor(
    private readonly expression: MathExpression,
    private readonly context: MathContext,
  ) {}

  evaluate(node: MathNode): Value {
    switch (node.type) {
      case 'number':
        return scalar(node.value);
      case 'string':
        return { kind: 'text', text: node.value };
      case 'keyword':
        return { kind: 'text', text: node.value };
      case 'id': {
        const series = this.context.series.get(node.id);
        if (series === undefined) {
          throw new MetricMathError(`${this.quoted()} uses ${node.id} (column ${node.position}), which is not the id of another query of the request`);
        }
        return seriesValue(series);
      }
      case 'array':
        return { kind: 'array', items: node.items.flatMap((item) => this.seriesList(this.evaluate(item), 'an array element')) };
      case 'negate':
        return this.unary(this.evaluate(node.operand), (v) => -v);
      case 'not':
        return this.unary(this.evaluate(node.operand), (v) => (v === 0 ? 1 : 0));
      case 'binary':
        return this.binary(node.operator, this.evaluate(node.left), this.evaluate(node.right));
      case 'call':
        return this.call(node.name, node.args);
    }
  }

  private quoted(): string {
    return JSON.stringify(this.expression.text);
  }

  private seriesList(value: Value, what: string): TimeSeries[] {
    if (value.kind === 'series') return [value.series];
    if (value.kind === 'array') return [...value.items];
    throw new MetricMathError(`${this.quoted()}: ${what} must be a time series`);
  }

  private unary(value: Value, f: (value: number) => number): Value {
    switch (value.kind) {
      case 'scalar':
        return scalar(f(value.value));
      case 'series':
        return seriesValue(mapSeries(value.series, f));
      case 'array':
        return { kind: 'array', items: value.items.map((series) => mapSeries(series, f)) };
      case 'text':
        throw new MetricMathError(`${this.quoted()}: a string is not a number`);
    }
  }

  private binary(operator: BinaryOperator, left: Value, right: Value): Value {
    if (left.kind === 'text' || right.kind === 'text') throw new MetricMathError(`${this.quoted()}: ${operator} takes numbers or time series, not strings`);
    const f = (a: number, b: number) => operate(operator, a, b);
    if (left.kind === 'scalar' && right.kind === 'scalar') return scalar(f(left.value, right.value));
    if (left.kind === 'array' && right.kind === 'array') {
      throw new MetricMathError(`${this.quoted()}: ${operator} between two arrays of time series is not supported; combine an array with one series or a number`);
    }
    if (left.kind === 'array') return { kind: 'array', items: left.items.map((series) => this.pair(series, right, f, false)) };
    if (right.kind === 'array') return { kind: 'array', items: right.items.map((series) => this.pair(series, left, f, true)) };
    if (left.kind === 'series') return seriesValue(this.pair(left.series, right, f, false));
    return seriesValue(this.pair((right as { series: TimeSeries }).series, left, f, true));
  }

  /** `series ∘ other` (or `other ∘ series` when `swapped`), other a number or a series. */
  private pair(series: TimeSeries, other: Value, f: (a: number, b: number) => number, swapped: boolean): TimeSeries {
    if (other.kind === 'scalar') return mapSeries(series, (v) => (swapped ? f(other.value, v) : f(v, other.value)));
    if (other.kind === 'series') return swapped ? join(other.series, series, f) : join(series, other.series, f);
    throw new MetricMathError(`${this.quoted()}: cannot combine these operands`);
  }

  private call(name: string, args: readonly MathNode[]): Value {
    switch (name) {
      case 'ABS':
        return this.unary(this.evaluate(args[0]), Math.abs);
      case 'CEIL':
        return this.unary(this.evaluate(args[0]), Math.ceil);
      case 'FLOOR':
        return this.unary(this.evaluate(args[0]), Math.floor);
      case 'SUM':
      case 'AVG':
      case 'MIN':
      case 'MAX':
        return this.aggregate(name, this.evaluate(args[0]));
      case 'FILL':
        return this.fill(this.evaluate(args[0]), this.evaluate(args[1]));
      case 'IF':
        return this.ifThen(args);
      case 'DIFF':
      case 'RATE':
        return this.difference(name, this.evaluate(args[0]));
      case 'PERIOD':
        return scalar(this.context.periodSeconds);
      case 'METRICS':
        return this.metrics(args.length === 0 ? undefined : this.evaluate(args[0]));
      default:
        throw new MetricMathError(`${this.quoted()}: unknown function ${name}`);
    }
  }

  private aggregate(name: 'SUM' | 'AVG' | 'MIN' | 'MAX', value: Value): Value {
    const reduce = (values: readonly number[]): number => {
      if (name === 'SUM') return values.reduce((a, b) => a + b, 0);
      if (name === 'AVG') return values.reduce((a, b) => a + b, 0) / values.length;
      return name === 'MIN' ? Math.min(...values) : Math.max(...values);
    };
    switch (value.kind) {
      case 'scalar':
        return value;
      case 'series':
        return value.series.values.length === 0 ? scalar(Number.NaN) : scalar(reduce(value.series.values));
      case 'array': {
        // Per timestamp, over the series that have a value there.
        const byTime = new Map<number, number[]>();
        for (const series of value.items) {
          series.timestamps.forEach((t, i) => {
            const values = byTime.get(t);
            if (values === undefined) byTime.set(t, [series.values[i]]);
            else values.push(series.values[i]);
          });
        }
        const timestamps = [...byTime.keys()].sort((a, b) => a - b);
        return seriesValue(build(timestamps, timestamps.map((t) => reduce(byTime.get(t)!))));
      }
      case 'text':
        throw new MetricMathError(`${this.quoted()}: ${name} takes a time series or an array of them`);
    }
  }

  private fill(value: Value, filler: Value): Value {
    const fillOne = (series: TimeSeries): TimeSeries => {
      const known = new Map<number, number>();
      series.timestamps.forEach((t, i) => known.set(t, series.values[i]));
      const grid = [...new Set([...this.context.grid, ...series.timestamps])].sort((a, b) => a - b);
      const values = grid.map((t) => known.get(t) ?? Number.NaN);
      if (filler.kind === 'scalar') return build(grid, values.map((v) => (Number.isNaN(v) ? filler.value : v)));
      if (filler.kind === 'series') {
        const fills = new Map<number, number>();
        filler.series.timestamps.forEach((t, i) => fills.set(t, filler.series.values[i]));
        return build(grid, values.map((v, i) => (Number.isNaN(v) ? (fills.get(grid[i]) ?? Number.NaN) : v)));
      }
      if (filler.kind === 'text' && filler.text === 'REPEAT') return build(grid, repeat(values));
      if (filler.kind === 'text' && filler.text === 'LINEAR') return build(grid, linear(grid, values));
      throw new MetricMathError(`${this.quoted()}: FILL's second argument must be a number, a time series, REPEAT or LINEAR`);
    };
    if (value.kind === 'series') return seriesValue(fillOne(value.series));
    if (value.kind === 'array') return { kind: 'array', items: value.items.map(fillOne) };
    throw new MetricMathError(`${this.quoted()}: FILL's first argument must be a time series or an array of them`);
  }

  private ifThen(args: readonly MathNode[]): Value {
    const condition = this.evaluate(args[0]);
    const then = this.evaluate(args[1]);
    const otherwise = args.length > 2 ? this.evaluate(args[2]) : undefined;
    if (condition.kind === 'scalar') return condition.value !== 0 ? then : (otherwise ?? scalar(Number.NaN));
    if (condition.kind !== 'series') throw new MetricMathError(`${this.quoted()}: IF's condition must be a time series or a number`);
    const at = (value: Value | undefined, t: number): number => {
      if (value === undefined) return Number.NaN;
      if (value.kind === 'scalar') return value.value;
      if (value.kind === 'series') {
        const index = value.series.timestamps.indexOf(t);
        return index < 0 ? Number.NaN : value.series.values[index];
      }
      throw new MetricMathError(`${this.quoted()}: IF's branches must be time series or numbers`);
    };
    const { timestamps, values } = condition.series;
    return seriesValue(build([...timestamps], timestamps.map((t, i) => (values[i] !== 0 ? at(then, t) : at(otherwise, t)))));
  }

  private difference(name: 'DIFF' | 'RATE', value: Value): Value {
    const one = (series: TimeSeries): TimeSeries => {
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let i = 1; i < series.timestamps.length; i++) {
        const delta = series.values[i] - series.values[i - 1];
        const seconds = (series.timestamps[i] - series.timestamps[i - 1]) / 1000;
        timestamps.push(series.timestamps[i]);
        values.push(name === 'DIFF' ? delta : delta / seconds);
      }
      return build(timestamps, values);
    };
    return value.kind === 'array' ? { kind: 'array', items: value.items.map(one) } : seriesValue(one(this.seriesList(value, `${name}'s argument`)[0]));
  }

  private metrics(filter: Value | undefined): Value {
    if (filter !== undefined && filter.kind !== 'text') throw new MetricMathError(`${this.quoted()}: METRICS takes a string, e.g. METRICS("errors")`);
    const items: TimeSeries[] = [];
    for (const [id, label] of this.context.metricLabels) {
      if (filter !== undefined && !id.includes(filter.text) && !label.includes(filter.text)) continue;
      const series = this.context.series.get(id);
      if (series !== undefined) items.push(series);
    }
    return { kind: 'array', items };
  }
}

function repeat(values: readonly number[]): number[] {
  const filled = [...values];
  let last = Number.NaN;
  for (let i = 0; i < filled.length; i++) {
    if (Number.isNaN(filled[i])) filled[i] = last;
    else last = filled[i];
  }
  // Leading gaps take the first known value.
  const first = filled.find((v) => !Number.isNaN(v));
  return first === undefined ? filled : filled.map((v) => (Number.isNaN(v) ? first : v));
}

function linear(grid: readonly number[], values: readonly number[]): number[] {
  const known = values.flatMap((v, i) => (Number.isNaN(v) ? [] : [i]));
  if (known.length === 0) return [...values];
  return values.map((v, i) => {
    if (!Number.isNaN(v)) return v;
    const after = known.find((k) => k > i);
    const before = [...known].reverse().find((k) => k < i);
    if (before === undefined) return values[after!];
    if (after === undefined) return values[before];
    const ratio = (grid[i] - grid[before]) / (grid[after] - grid[before]);
    return values[before] + ratio * (values[after] - values[before]);
  });
}

/**
 * Evaluates a parsed expression over the other queries' series.
 * @returns one time series: a number becomes that value at every period of the grid
 * @throws MetricMathError for an id that is not in the context, or a result that is several series
 */
export function evaluateExpression(expression: MathExpression, context: MathContext): TimeSeries {
  const value = new Evaluator(expression, context).evaluate(expression.root);
  switch (value.kind) {
    case 'series':
      return value.series;
    case 'scalar':
      return build([...context.grid], context.grid.map(() => value.value));
    case 'array':
      if (value.items.length === 1) return value.items[0];
      throw new MetricMathError(
        `${JSON.stringify(expression.text)} returns ${value.items.length} time series; the local runtime answers one per expression: wrap it in SUM, AVG, MIN or MAX`,
      );
    case 'text':
      throw new MetricMathError(`${JSON.stringify(expression.text)} is a string, not a time series`);
  }
}
