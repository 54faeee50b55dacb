import {
  AlarmRuleSyntaxError,
  evaluateRule,
  holdingReferences,
  mapReferences,
  parseAlarmRule,
  ruleReferences,
  type AlarmStateValue,
} from '../../../../local/cloudwatch/composite-rule';

const ARN = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';

function states(map: Record<string, AlarmStateValue>): (alarm: string) => AlarmStateValue {
  return (alarm) => map[alarm] ?? 'INSUFFICIENT_DATA';
}

describe('parseAlarmRule', () => {
  it('reads quoted ARNs and bare names in the three state functions', () => {
    // Act
    const rule = parseAlarmRule(`(ALARM("${ARN}a") OR OK(b) OR INSUFFICIENT_DATA( "c d" ))`);

    // Assess
    expect(ruleReferences(rule)).toEqual([`${ARN}a`, 'b', 'c d']);
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    // Prepare
    const rule = parseAlarmRule('ALARM(a) OR ALARM(b) AND NOT ALARM(c)');

    // Assess: a OR (b AND (NOT c))
    expect(evaluateRule(rule, states({ a: 'ALARM', c: 'ALARM' }))).toBe(true);
    expect(evaluateRule(rule, states({ b: 'ALARM', c: 'ALARM' }))).toBe(false);
    expect(evaluateRule(rule, states({ b: 'ALARM', c: 'OK' }))).toBe(true);
    expect(evaluateRule(parseAlarmRule('(ALARM(a) OR ALARM(b)) AND NOT ALARM(c)'), states({ a: 'ALARM', c: 'ALARM' }))).toBe(false);
  });

  it('reads TRUE and FALSE', () => {
    expect(evaluateRule(parseAlarmRule('TRUE'), states({}))).toBe(true);
    expect(evaluateRule(parseAlarmRule('FALSE OR NOT TRUE'), states({}))).toBe(false);
  });

  it('names the column of a syntax error', () => {
    expect(() => parseAlarmRule('ALARM(a) OR')).toThrow(AlarmRuleSyntaxError);
    expect(() => parseAlarmRule('ALARM(a) OR')).toThrow(/column 12: expected ALARM/);
    expect(() => parseAlarmRule('ALARM(a) XOR ALARM(b)')).toThrow(/column 10: expected AND, OR or the end/);
    expect(() => parseAlarmRule('ALARM("a) OR TRUE')).toThrow(/column 7: unterminated quoted alarm name/);
    expect(() => parseAlarmRule('(ALARM(a)')).toThrow(/expected "\)"/);
    expect(() => parseAlarmRule('')).toThrow(/the rule is empty/);
  });

  it('says keywords are upper case, and that AT_LEAST is not supported locally', () => {
    expect(() => parseAlarmRule('alarm(a)')).toThrow(/keywords are upper case: ALARM/);
    expect(() => parseAlarmRule('AT_LEAST(2, ALARM, (a, b))')).toThrow(/AT_LEAST is not supported locally/);
  });
});

describe('evaluating a rule', () => {
  it('matches each function with its state only', () => {
    // Prepare
    const rule = parseAlarmRule('OK(a) AND INSUFFICIENT_DATA(b)');

    // Assess
    expect(evaluateRule(rule, states({ a: 'OK' }))).toBe(true);
    expect(evaluateRule(rule, states({ a: 'ALARM' }))).toBe(false);
  });

  it('renames references once, and tells which ones hold', () => {
    // Prepare
    const rule = mapReferences(parseAlarmRule(`ALARM("${ARN}a") OR ALARM(b)`), (reference) => reference.replace(ARN, ''));

    // Assess
    expect(ruleReferences(rule)).toEqual(['a', 'b']);
    expect(holdingReferences(rule, states({ b: 'ALARM' }))).toEqual(['b']);
  });
});
