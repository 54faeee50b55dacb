/**
 * Target input, with the examples of "Transforming Amazon EventBridge target input" (the EC2 event, the
 * `instance` / `state` input paths and the template table).
 */
import { targetInput, type TargetInputSettings } from '../../../../local/eventbridge/input-transformer';
import { evaluateJsonPath, InvalidJsonPathError, parseJsonPath } from '../../../../local/eventbridge/json-path';

const EVENT = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const CONTEXT = { ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example', ruleName: 'example', ingestionTime: '2015-11-11T21:29:55.000Z' };
const PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };

function transformed(inputTemplate: string, inputPathsMap: Record<string, string> = PATHS): string {
  return targetInput({ inputTransformer: { inputPathsMap, inputTemplate } }, EVENT, CONTEXT);
}

describe('targetInput', () => {
  it('passes the whole event by default', () => {
    expect(JSON.parse(targetInput({}, EVENT, CONTEXT))).toEqual(EVENT);
  });

  it('passes the constant Input instead', () => {
    expect(targetInput({ input: '{"fixed":true}' }, EVENT, CONTEXT)).toBe('{"fixed":true}');
  });

  it('passes what InputPath selects', () => {
    const settings: TargetInputSettings = { inputPath: '$.detail' };
    expect(JSON.parse(targetInput(settings, EVENT, CONTEXT))).toEqual(EVENT.detail);
  });

  describe('an input transformer', () => {
    it('fills a simple string', () => {
      expect(transformed('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
    });

    it('fills simple JSON with quoted values', () => {
      expect(JSON.parse(transformed('{"instance" : <instance>, "state": <state>}'))).toEqual({ instance: 'i-0123456789', state: 'RUNNING' });
    });

    it('fills JSON with strings and variables', () => {
      // Act
      const output = transformed('{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}');

      // Assess
      expect(JSON.parse(output)).toEqual({ instance: 'i-0123456789', state: 'RUNNING', instanceStatus: 'instance "i-0123456789" is in RUNNING' });
    });

    it('fills JSON with a mix of variables and static information', () => {
      expect(JSON.parse(transformed('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}'))).toEqual({
        instance: 'i-0123456789',
        state: [9, 'RUNNING', true],
        Transformed: 'Yes',
      });
    });

    it('fills the reserved variables in JSON', () => {
      // Act
      const output = transformed(
        '{"instance" : <instance>, "ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "originalEvent" : <aws.events.event>}',
      );

      // Assess
      expect(JSON.parse(output)).toEqual({ instance: 'i-0123456789', ruleArn: CONTEXT.ruleArn, ruleName: 'example', originalEvent: EVENT });
    });

    it('fills the reserved variables in a string', () => {
      expect(transformed('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
      expect(transformed('"at <aws.events.event.ingestion-time>"')).toBe('"at 2015-11-11T21:29:55.000Z"');
    });

    it('inserts numbers and objects as JSON', () => {
      expect(JSON.parse(transformed('{"d": <d>}', { d: '$.detail' }))).toEqual({ d: EVENT.detail });
    });

    it('leaves out a variable whose path matches nothing', () => {
      expect(JSON.parse(transformed('{"missing": <gone>, "text": "[<gone>]"}', { gone: '$.detail.nothing' }))).toEqual({ missing: null, text: '[]' });
    });

    it('treats a template that is not JSON as text', () => {
      expect(transformed('Instance <instance> is <state>')).toBe('Instance i-0123456789 is RUNNING');
    });

    it('leaves unknown placeholders as they are', () => {
      expect(transformed('"a <b> c"')).toBe('"a <b> c"');
    });
  });
});

describe('evaluateJsonPath', () => {
  it.each<[string, unknown]>([
    ['$', EVENT],
    ['$.detail-type', 'EC2 Instance State-change Notification'],
    ['$.detail.instance-id', 'i-0123456789'],
    ["$['detail']['state']", 'RUNNING'],
    ['$.resources[0]', 'arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
    ['$.resources[*]', EVENT.resources],
  ])('evaluates %s', (path, value) => {
    expect(evaluateJsonPath(path, EVENT)).toEqual({ found: true, value });
  });

  it('finds nothing where nothing is', () => {
    expect(evaluateJsonPath('$.detail.nothing', EVENT)).toEqual({ found: false });
    expect(evaluateJsonPath('$.resources[5]', EVENT)).toEqual({ found: false });
  });

  it.each(['detail', '$.', '$..x', '$[x]'])('rejects %s', (path) => {
    expect(() => parseJsonPath(path)).toThrow(InvalidJsonPathError);
  });
});
