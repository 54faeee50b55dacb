/**
 * A composite alarm's AlarmRule: `ALARM("arn…") OR (OK(x) AND NOT INSUFFICIENT_DATA("y"))`, parsed and evaluated.
 *
 * Grammar (CloudWatch's, keywords upper case): the functions ALARM(x), OK(x), INSUFFICIENT_DATA(x) with x an alarm
 * name or ARN, in double quotes or bare (a bare reference runs to the closing parenthesis); the constants TRUE and
 * FALSE; the operators NOT, AND, OR; parentheses. Precedence, highest first: NOT, AND, OR (as in boolean algebra and
 * SQL; CloudWatch's documentation does not state it, and CDK always parenthesises what it generates).
 * AT_LEAST(…), the newer threshold function, is not supported locally and is rejected by name. Errors give the
 * column of the problem.
 */

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type RuleNode =
  | { readonly type: 'state'; readonly state: AlarmStateValue; readonly alarm: string; readonly position: number }
  | { readonly type: 'constant'; readonly value: boolean }
  | { readonly type: 'not'; readonly operand: RuleNode }
  | { readonly type: 'and' | 'or'; readonly operands: readonly RuleNode[] };

/** An AlarmRule that does not parse. */
export class AlarmRuleSyntaxError extends Error {
  constructor(
    readonly rule: string,
    readonly position: number,
    problem: string,
  ) {
    super(`AlarmRule ${JSON.stringify(rule.length > 200 ? `${rule.slice(0, 197)}...` : rule)}, column ${position}: ${problem}`);
    this.name = 'AlarmRuleSyntaxError';
  }
}

const STATES: ReadonlySet<string> = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'NOT', 'TRUE', 'FALSE', ...STATES]);

class RuleParser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): RuleNode {
    const node = this.or();
    this.skipSpace();
    if (this.at < this.text.length) this.fail(`expected AND, OR or the end of the rule, found ${JSON.stringify(this.text.slice(this.at, this.at + 20))}`);
    return node;
  }

  private fail(problem: string, position = this.at + 1): never {
    throw new AlarmRuleSyntaxError(this.text, position, problem);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  /** The upper-case word at the cursor, without consuming it. */
  private peekWord(): string {
    this.skipSpace();
    return /^[A-Za-z_]+/.exec(this.text.slice(this.at))?.[0] ?? '';
  }

  private takeWord(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.at += word.length;
    return true;
  }

  private expectChar(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) this.fail(`expected "${char}", found ${this.at < this.text.length ? JSON.stringify(this.text[this.at]) : 'the end of the rule'}`);
    this.at++;
  }

  private or(): RuleNode {
    const operands = [this.and()];
    while (this.takeWord('OR')) operands.push(this.and());
    return operands.length === 1 ? operands[0] : { type: 'or', operands };
  }

  private and(): RuleNode {
    const operands = [this.not()];
    while (this.takeWord('AND')) operands.push(this.not());
    return operands.length === 1 ? operands[0] : { type: 'and', operands };
  }

  private not(): RuleNode {
    if (this.takeWord('NOT')) return { type: 'not', operand: this.not() };
    return this.primary();
  }

  private primary(): RuleNode {
    this.skipSpace();
    const start = this.at + 1;
    if (this.text[this.at] === '(') {
      this.at++;
      const inner = this.or();
      this.expectChar(')');
      return inner;
    }
    const word = this.peekWord();
    if (word === 'TRUE' || word === 'FALSE') {
      this.at += word.length;
      return { type: 'constant', value: word === 'TRUE' };
    }
    if (STATES.has(word)) {
      this.at += word.length;
      this.expectChar('(');
      const alarm = this.reference();
      this.expectChar(')');
      return { type: 'state', state: word as AlarmStateValue, alarm, position: start };
    }
    if (word === 'AT_LEAST') this.fail('AT_LEAST is not supported locally: write the condition with AND/OR', start);
    if (word !== '' && KEYWORDS.has(word.toUpperCase())) this.fail(`keywords are upper case: ${word.toUpperCase()}, not ${word}`, start);
    if (this.at >= this.text.length) this.fail('expected ALARM(…), OK(…), INSUFFICIENT_DATA(…), TRUE, FALSE, NOT or "(", found the end of the rule');
    return this.fail(`expected ALARM(…), OK(…), INSUFFICIENT_DATA(…), TRUE, FALSE, NOT or "(", found ${JSON.stringify(this.text.slice(this.at, this.at + 20))}`);
  }

  /** An alarm name or ARN: `"quoted"`, or bare up to the closing parenthesis. */
  private reference(): string {
    this.skipSpace();
    const start = this.at;
    if (this.text[this.at] === '"') {
      const close = this.text.indexOf('"', this.at + 1);
      if (close < 0) this.fail('unterminated quoted alarm name', start + 1);
      this.at = close + 1;
      const name = this.text.slice(start + 1, close);
      if (name === '') this.fail('empty alarm name', start + 1);
      return name;
    }
    const close = this.text.indexOf(')', this.at);
    if (close < 0) this.fail('expected an alarm name and ")"', start + 1);
    const name = this.text.slice(start, close).trim();
    if (name === '') this.fail('empty alarm name', start + 1);
    this.at = close;
    return name;
  }
}

/**
 * Parses an AlarmRule.
 * @throws AlarmRuleSyntaxError naming the column of the problem
 */
export function parseAlarmRule(rule: string): RuleNode {
  if (rule.trim() === '') throw new AlarmRuleSyntaxError(rule, 1, 'the rule is empty');
  return new RuleParser(rule).parse();
}

/** Every alarm reference of a rule (names or ARNs, as written), in order, without repeats. */
export function ruleReferences(node: RuleNode): string[] {
  const found = new Set<string>();
  const visit = (n: RuleNode): void => {
    if (n.type === 'state') found.add(n.alarm);
    else if (n.type === 'not') visit(n.operand);
    else if (n.type === 'and' || n.type === 'or') n.operands.forEach(visit);
  };
  visit(node);
  return [...found];
}

/** The rule with each reference replaced by `rename(reference)` (to resolve ARNs to names once). */
export function mapReferences(node: RuleNode, rename: (reference: string) => string): RuleNode {
  switch (node.type) {
    case 'state':
      return { ...node, alarm: rename(node.alarm) };
    case 'constant':
      return node;
    case 'not':
      return { type: 'not', operand: mapReferences(node.operand, rename) };
    case 'and':
    case 'or':
      return { type: node.type, operands: node.operands.map((operand) => mapReferences(operand, rename)) };
  }
}

/** Whether the rule holds, given each referenced alarm's state. */
export function evaluateRule(node: RuleNode, stateOf: (alarm: string) => AlarmStateValue): boolean {
  switch (node.type) {
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'constant':
      return node.value;
    case 'not':
      return !evaluateRule(node.operand, stateOf);
    case 'and':
      return node.operands.every((operand) => evaluateRule(operand, stateOf));
    case 'or':
      return node.operands.some((operand) => evaluateRule(operand, stateOf));
  }
}

/** The references whose state function currently holds (what a composite's state reason names). */
export function holdingReferences(node: RuleNode, stateOf: (alarm: string) => AlarmStateValue): string[] {
  const found = new Set<string>();
  const visit = (n: RuleNode): void => {
    if (n.type === 'state' && stateOf(n.alarm) === n.state) found.add(n.alarm);
    else if (n.type === 'not') visit(n.operand);
    else if (n.type === 'and' || n.type === 'or') n.operands.forEach(visit);
  };
  visit(node);
  return [...found];
}
