/**
 * The pattern language, operator by operator, with the examples of the Amazon EventBridge User Guide. Each describe
 * names the page its examples come from:
 * - "Creating Amazon EventBridge event patterns" / "Event pattern syntax"
 * - "Comparison operators for use in event patterns in Amazon EventBridge" (the operator table)
 * - "Content filtering in Amazon EventBridge event patterns"
 * - "Arrays in Amazon EventBridge event patterns"
 * - "Matching null values and empty strings in Amazon EventBridge event patterns"
 */
import { EventPattern, InvalidEventPatternError, matchesEventPattern } from '../../../../local/eventbridge/event-pattern';
import { ec2Event } from './event-factories';

const matches = (pattern: unknown, event: unknown) => matchesEventPattern(pattern, event);

describe('EventPattern', () => {
  // "Creating Amazon EventBridge event patterns": the EC2 instance-termination pattern.
  describe('exact values and nested objects', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };

    it('matches the EC2 termination event', () => {
      expect(matches(pattern, ec2Event())).toBe(true);
    });

    it('does not match another state, or a pattern field the event lacks', () => {
      expect(matches(pattern, ec2Event({ state: 'running' }))).toBe(false);
      expect(matches({ detail: { reason: ['x'] } }, ec2Event())).toBe(false);
    });

    it('is case-sensitive and type-strict ("Equals": "Name": ["Alice"])', () => {
      expect(matches({ Name: ['Alice'] }, { Name: 'Alice' })).toBe(true);
      expect(matches({ Name: ['Alice'] }, { Name: 'alice' })).toBe(false);
      expect(matches({ Price: [100] }, { Price: '100' })).toBe(false);
      expect(matches({ Price: ['100'] }, { Price: 100 })).toBe(false);
    });

    it('compares numbers as numbers', () => {
      expect(matches({ Price: [100] }, { Price: 100.0 })).toBe(true);
      expect(matches({ Price: [3.018e2] }, { Price: 301.8 })).toBe(true);
    });

    it('matches booleans exactly', () => {
      expect(matches({ detail: { enabled: [true] } }, { detail: { enabled: true } })).toBe(true);
      expect(matches({ detail: { enabled: [true] } }, { detail: { enabled: 'true' } })).toBe(false);
    });

    it('does not match a nested pattern against a scalar', () => {
      expect(matches({ detail: { state: ['terminated'] } }, { detail: 'terminated' })).toBe(false);
    });
  });

  // "Matching null values and empty strings in Amazon EventBridge event patterns".
  describe('null and empty strings', () => {
    const event = ec2Event({ eventVersion: '', responseElements: null }, { source: 'aws.autoscaling' });

    it('matches an empty string with [""] ("Empty": "LastName": [""])', () => {
      expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    });

    it('matches null with [null] ("Null": "UserID": [null])', () => {
      expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    });

    it('does not mix up null and empty strings', () => {
      expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
      expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    });

    it('does not match null against a missing field', () => {
      expect(matches({ detail: { UserID: [null] } }, event)).toBe(false);
    });
  });

  // "Arrays in Amazon EventBridge event patterns" and the "Or" rows of the operator table.
  describe('arrays', () => {
    it('matches when any value of the pattern array matches ("PaymentType": ["Credit", "Debit"])', () => {
      expect(matches({ PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' })).toBe(true);
      expect(matches({ PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Cash' })).toBe(false);
    });

    it('matches an event array when the intersection with the pattern array is not empty', () => {
      // Prepare
      const pattern = {
        resources: [
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
        ],
      };
      const event = {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      };

      // Act / Assess
      expect(matches(pattern, event)).toBe(true);
      expect(matches(pattern, { resources: [event.resources[0]] })).toBe(false);
    });

    it('applies operators to each element of an event array', () => {
      expect(matches({ detail: { tags: [{ prefix: 'team-' }] } }, { detail: { tags: ['env-prod', 'team-shop'] } })).toBe(true);
      expect(matches({ detail: { sizes: [{ numeric: ['>', 10] }] } }, { detail: { sizes: [1, 2, 30] } })).toBe(true);
    });

    it('matches a nested pattern against one element of an array of objects', () => {
      // Prepare
      const event = { detail: { lines: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-2', quantity: 5 }] } };

      // Act / Assess
      expect(matches({ detail: { lines: { sku: ['SKU-2'], quantity: [{ numeric: ['>=', 5] }] } } }, event)).toBe(true);
      expect(matches({ detail: { lines: { sku: ['SKU-1'], quantity: [{ numeric: ['>=', 5] }] } } }, event)).toBe(false);
    });
  });

  // "Content filtering in Amazon EventBridge event patterns" (prefix matching) and the "Begins with" rows.
  describe('prefix', () => {
    it('matches the time of 2 October 2017 ("time": [{"prefix": "2017-10-02"}])', () => {
      expect(matches({ time: [{ prefix: '2017-10-02' }] }, ec2Event(undefined, { time: '2017-10-02T18:43:48Z' }))).toBe(true);
      expect(matches({ time: [{ prefix: '2017-10-02' }] }, ec2Event(undefined, { time: '2017-10-03T18:43:48Z' }))).toBe(false);
    });

    it('matches a region in the US ("Region": [{"prefix": "us-"}])', () => {
      expect(matches({ Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' })).toBe(true);
      expect(matches({ Region: [{ prefix: 'us-' }] }, { Region: 'eu-west-1' })).toBe(false);
    });

    it('ignores case with equals-ignore-case inside ({"prefix": {"equals-ignore-case": "eventb"}})', () => {
      const pattern = { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] };
      expect(matches(pattern, { service: 'EventBridge' })).toBe(true);
      expect(matches(pattern, { service: 'EVENTBRIDGE' })).toBe(true);
      expect(matches(pattern, { service: 'Lambda' })).toBe(false);
    });

    it('only matches strings', () => {
      expect(matches({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
    });
  });

  // Operator table, "Ends with" and "Ends with (ignore case)".
  describe('suffix', () => {
    it('matches a .png file name ("FileName": [{"suffix": ".png"}])', () => {
      expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' })).toBe(true);
      expect(matches({ FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' })).toBe(false);
    });

    it('ignores case with equals-ignore-case inside ({"suffix": {"equals-ignore-case": "tBridge"}})', () => {
      const pattern = { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] };
      expect(matches(pattern, { service: 'EventBridge' })).toBe(true);
      expect(matches(pattern, { service: 'EVENTBRIDGE' })).toBe(true);
      expect(matches(pattern, { service: 'Bridges' })).toBe(false);
    });
  });

  // Operator table, "Equals (ignore case)".
  describe('equals-ignore-case', () => {
    it('matches "Alice" with {"equals-ignore-case": "alice"}', () => {
      expect(matches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alice' })).toBe(true);
      expect(matches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' })).toBe(true);
      expect(matches({ Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'Alicia' })).toBe(false);
    });
  });

  // "Content filtering in Amazon EventBridge event patterns" (anything-but matching) and the "Anything-but" rows.
  describe('anything-but', () => {
    it('matches any state but "initializing"', () => {
      const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
      expect(matches(pattern, ec2Event({ state: 'running' }))).toBe(true);
      expect(matches(pattern, ec2Event({ state: 'initializing' }))).toBe(false);
    });

    it('matches any x-limit but 123', () => {
      const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
      expect(matches(pattern, ec2Event({ 'x-limit': 301.8 }))).toBe(true);
      expect(matches(pattern, ec2Event({ 'x-limit': 123 }))).toBe(false);
    });

    it('excludes a list of strings ("stopped", "overloaded")', () => {
      const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
      expect(matches(pattern, ec2Event({ state: 'running' }))).toBe(true);
      expect(matches(pattern, ec2Event({ state: 'overloaded' }))).toBe(false);
    });

    it('excludes a list of numbers (100, 200, 300)', () => {
      const pattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
      expect(matches(pattern, ec2Event({ 'x-limit': 301.8 }))).toBe(true);
      expect(matches(pattern, ec2Event({ 'x-limit': 200 }))).toBe(false);
    });

    it('excludes a prefix ("state": [{"anything-but": {"prefix": "init"}}])', () => {
      const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
      expect(matches(pattern, ec2Event({ state: 'running' }))).toBe(true);
      expect(matches(pattern, ec2Event({ state: 'initializing' }))).toBe(false);
    });

    it('excludes a suffix ("FileName": [{"anything-but": {"suffix": ".png"}}])', () => {
      const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
      expect(matches(pattern, { FileName: 'notes.txt' })).toBe(true);
      expect(matches(pattern, { FileName: 'image.png' })).toBe(false);
    });

    it('excludes a value in any casing ({"anything-but": {"equals-ignore-case": "initializing"}})', () => {
      const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
      expect(matches(pattern, { state: 'running' })).toBe(true);
      expect(matches(pattern, { state: 'INITIALIZING' })).toBe(false);
    });

    it('excludes a wildcard ("FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}])', () => {
      const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
      expect(matches(pattern, { FilePath: 'src/index.ts' })).toBe(true);
      expect(matches(pattern, { FilePath: 'src/lib/index.ts' })).toBe(false);
    });

    it('excludes a list of prefixes', () => {
      const pattern = { source: [{ 'anything-but': { prefix: ['aws.', 'partner.'] } }] };
      expect(matches(pattern, { source: 'shop.orders' })).toBe(true);
      expect(matches(pattern, { source: 'aws.ec2' })).toBe(false);
    });

    it('matches "Weather is anything but Raining" (["anything-but": ["Raining"]]) only when the field exists', () => {
      const pattern = { Weather: [{ 'anything-but': ['Raining'] }] };
      expect(matches(pattern, { Weather: 'Sunny' })).toBe(true);
      expect(matches(pattern, { Weather: 'Raining' })).toBe(false);
      expect(matches(pattern, { Temperature: 20 })).toBe(false);
    });
  });

  // "Content filtering in Amazon EventBridge event patterns" (numeric matching) and the "Numeric" rows.
  describe('numeric', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };

    it('matches only when every field is in its range', () => {
      expect(matches(pattern, ec2Event({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }))).toBe(true);
      expect(matches(pattern, ec2Event({ 'c-count': 0, 'd-count': 3, 'x-limit': 301.8 }))).toBe(false);
      expect(matches(pattern, ec2Event({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
      expect(matches(pattern, ec2Event({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.9 }))).toBe(false);
    });

    it('matches "Price is 100" and "more than 10, and less than or equal to 20"', () => {
      expect(matches({ Price: [{ numeric: ['=', 100] }] }, { Price: 100 })).toBe(true);
      expect(matches({ Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 })).toBe(true);
      expect(matches({ Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 })).toBe(false);
      expect(matches({ Price: [{ numeric: ['>=', 10, '<', 20] }] }, { Price: 10 })).toBe(true);
    });

    it('only matches JSON numbers within ±5e9', () => {
      expect(matches({ Price: [{ numeric: ['>', 0] }] }, { Price: '5' })).toBe(false);
      expect(matches({ Price: [{ numeric: ['>', 0] }] }, { Price: 6e9 })).toBe(false);
    });

    it('compares to six digits after the decimal point', () => {
      expect(matches({ v: [{ numeric: ['=', 0.3] }] }, { v: 0.1 + 0.2 })).toBe(true);
    });
  });

  // "Content filtering in Amazon EventBridge event patterns" (exists matching) and the "Exists" / "Does not exist" rows.
  describe('exists', () => {
    it('matches an event that has detail.state with {"exists": true}', () => {
      expect(matches({ detail: { state: [{ exists: true }] } }, ec2Event({ 'instance-id': 'i-abcd1111', state: 'pending' }))).toBe(true);
    });

    it('does not match an event without detail.state', () => {
      expect(matches({ detail: { state: [{ exists: true }] } }, ec2Event({ 'c-count': { c1: 100 } }))).toBe(false);
    });

    it('matches an event without detail.c-count with {"exists": false}', () => {
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, ec2Event({ state: ['initializing', 'running'] }))).toBe(true);
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, ec2Event({ 'c-count': 5 }))).toBe(false);
    });

    it('works on leaf nodes only: an object-valued c-count counts as absent', () => {
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, ec2Event({ state: 'running', 'c-count': { c1: 100 } }))).toBe(true);
      expect(matches({ detail: { 'c-count': [{ exists: true }] } }, ec2Event({ state: 'running', 'c-count': { c1: 100 } }))).toBe(false);
    });

    it('matches a null leaf as present', () => {
      expect(matches({ UserID: [{ exists: true }] }, { UserID: null })).toBe(true);
    });

    it('matches {"exists": false} when the whole parent object is missing', () => {
      expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { source: 'aws.ec2' })).toBe(true);
    });
  });

  // Operator table, "Wildcard": "Any file with a .png extension, located within the folder dir".
  describe('wildcard', () => {
    it('matches dir/*.png', () => {
      const pattern = { FileName: [{ wildcard: 'dir/*.png' }] };
      expect(matches(pattern, { FileName: 'dir/image.png' })).toBe(true);
      expect(matches(pattern, { FileName: 'dir/sub/image.png' })).toBe(true);
      expect(matches(pattern, { FileName: 'other/image.png' })).toBe(false);
      expect(matches(pattern, { FileName: 'dir/image.jpg' })).toBe(false);
    });

    it('takes several wildcards and treats other characters literally', () => {
      const pattern = { arn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
      expect(matches(pattern, { arn: 'arn:aws:events:us-east-1:000000000000:event-bus/HybridShop-bus' })).toBe(true);
      expect(matches(pattern, { arn: 'arn:aws:events:eu-west-1:000000000000:event-bus/HybridShop-bus' })).toBe(false);
      expect(matches({ v: [{ wildcard: 'a.c' }] }, { v: 'abc' })).toBe(false);
    });

    it('matches a literal asterisk escaped with a backslash, and a literal backslash escaped with another', () => {
      expect(matches({ v: [{ wildcard: 'a\\*c' }] }, { v: 'a*c' })).toBe(true);
      expect(matches({ v: [{ wildcard: 'a\\*c' }] }, { v: 'abc' })).toBe(false);
      expect(matches({ v: [{ wildcard: 'a\\\\*' }] }, { v: 'a\\anything' })).toBe(true);
    });

    it('rejects consecutive wildcards and other escapes', () => {
      expect(() => EventPattern.compile({ v: [{ wildcard: 'a**' }] })).toThrow('Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2');
      expect(() => EventPattern.compile({ v: [{ wildcard: 'a\\b' }] })).toThrow('Event pattern is not valid. Reason: Invalid escape character at pos 2');
    });
  });

  // "Content filtering in Amazon EventBridge event patterns" (IP address matching): IPv4 and IPv6.
  describe('cidr', () => {
    it('matches addresses of 10.0.0.0/24', () => {
      const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
      expect(matches(pattern, ec2Event({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
      expect(matches(pattern, ec2Event({ sourceIPAddress: '10.0.1.0' }))).toBe(false);
    });

    it('matches IPv6 addresses', () => {
      const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
      expect(matches(pattern, ec2Event({ sourceIPAddress: '2001:db8:1234::1' }))).toBe(true);
      expect(matches(pattern, ec2Event({ sourceIPAddress: '2001:db9::1' }))).toBe(false);
      expect(matches(pattern, ec2Event({ sourceIPAddress: '10.0.0.1' }))).toBe(false);
    });

    it('does not match what is not an IP address', () => {
      expect(matches({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'localhost' })).toBe(false);
    });

    it('rejects malformed ranges', () => {
      expect(() => EventPattern.compile({ ip: [{ cidr: '10.0.0.0' }] })).toThrow("Malformed CIDR, one '/' required");
      expect(() => EventPattern.compile({ ip: [{ cidr: '10.0.0.0/x' }] })).toThrow('Malformed CIDR, mask bits must be an integer');
      expect(() => EventPattern.compile({ ip: [{ cidr: '10.0.0.300/8' }] })).toThrow('Invalid IP address: 10.0.0.300');
    });
  });

  // Operator table, "Or (multiple fields)": "Location is New York, or Day is Monday".
  describe('$or', () => {
    const pattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };

    it('matches when either branch matches', () => {
      expect(matches(pattern, { Location: 'New York', Day: 'Friday' })).toBe(true);
      expect(matches(pattern, { Location: 'Boston', Day: 'Monday' })).toBe(true);
      expect(matches(pattern, { Location: 'Boston', Day: 'Friday' })).toBe(false);
    });

    it('ANDs with the fields beside it, and nests inside an object', () => {
      // Prepare
      const nested = {
        source: ['aws.cloudwatch'],
        detail: { $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'], metricType: ['MetricType'] }] },
      };

      // Act / Assess
      expect(matches(nested, { source: 'aws.cloudwatch', detail: { metricName: 'CPUUtilization' } })).toBe(true);
      expect(matches(nested, { source: 'aws.cloudwatch', detail: { namespace: 'AWS/EC2', metricType: 'MetricType' } })).toBe(true);
      expect(matches(nested, { source: 'aws.cloudwatch', detail: { namespace: 'AWS/EC2' } })).toBe(false);
      expect(matches(nested, { source: 'aws.ec2', detail: { metricName: 'CPUUtilization' } })).toBe(false);
    });

    it('rejects an $or that is not an array of at least two objects', () => {
      expect(() => EventPattern.compile({ $or: { a: ['b'] } })).toThrow('It must be an Array followed with $or.');
      expect(() => EventPattern.compile({ $or: [{ a: ['b'] }] })).toThrow('There must have at least 2 Objects in $or relationship.');
      expect(() => EventPattern.compile({ $or: [{ a: ['b'] }, 'c'] })).toThrow('Only JSON object is allowed in array of $or relationship.');
      expect(() => EventPattern.compile({ $or: [{ numeric: [1] }, { a: ['b'] }] })).toThrow('numeric is Ruler reserved fieldName which cannot be used inside $or.');
    });
  });

  // "Content filtering in Amazon EventBridge event patterns": "Complex example with multiple matching".
  describe('a complex pattern', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };

    it('matches when every condition holds', () => {
      const event = ec2Event({ state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }, { time: '2017-10-02T16:24:49Z' });
      expect(matches(pattern, event)).toBe(true);
    });

    it('does not match when one condition fails', () => {
      const event = ec2Event({ state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 300 }, { time: '2017-10-02T16:24:49Z' });
      expect(matches(pattern, event)).toBe(false);
    });

    it('keeps the last of two identical keys, as the guide notes (JSON text)', () => {
      const text = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
      expect(matches(text, { detail: { location: 'eu-west' } })).toBe(true);
    });
  });

  describe('validation', () => {
    it.each<[string, unknown, string]>([
      ['a pattern that is not an object', '["aws.ec2"]', 'Filter is not an object'],
      ['JSON that does not parse', '{"source": [', 'Event pattern is not valid. Reason: '],
      ['an empty pattern', {}, 'Empty objects are not allowed'],
      ['a field that is neither array nor object', { source: 'aws.ec2' }, '"source" must be an object or an array'],
      ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
      ['a nested array value', { source: [['a']] }, 'Match value must be String, number, true, false, or null'],
      ['an unknown operator', { source: [{ prefx: 'aws.' }] }, 'Unrecognized match type prefx'],
      ['two keys in one match expression', { source: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'],
      ['an empty match expression', { source: [{}] }, 'Match expression name not found'],
      ['a prefix that is not a string', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
      ['an unknown operator inside prefix', { source: [{ prefix: { suffix: 'a' } }] }, 'Unsupported prefix pattern: suffix'],
      ['exists that is not a boolean', { source: [{ exists: 'yes' }] }, 'exists match pattern must be either true or false.'],
      ['numeric that is not an array', { n: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
      ['an unknown numeric operator', { n: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
      ['a numeric value that is not a number', { n: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
      ['= with a second term', { n: [{ numeric: ['=', 5, '<', 6] }] }, 'Too many elements in numeric expression'],
      ['an upper bound first', { n: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements in numeric expression'],
      ['a range whose bottom is above its top', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'Bottom must be less than top'],
      ['a number out of range', { n: [{ numeric: ['>', 6e9] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
      ['anything-but with mixed types', { s: [{ 'anything-but': ['a', 1] }] }, 'mixed type is not supported'],
      ['anything-but with null', { s: [{ 'anything-but': null }] }, 'Value of anything-but must be an array or single string/number value.'],
      ['anything-but with an unknown operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
      ['anything-but with an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'],
      ['a cidr mask too wide', { ip: [{ cidr: '10.0.0.0/32' }] }, 'IPv4 mask bits must be < 32'],
    ])('rejects %s', (_what, pattern, message) => {
      expect(() => EventPattern.compile(pattern)).toThrow(InvalidEventPatternError);
      expect(() => EventPattern.compile(pattern)).toThrow(message);
    });

    it('prefixes every reason with AWS\'s "Event pattern is not valid. Reason: "', () => {
      expect(() => EventPattern.compile({ source: [] })).toThrow('Event pattern is not valid. Reason: Empty arrays are not allowed');
    });
  });

  it('keeps the text it was compiled from', () => {
    expect(EventPattern.compile('{"source":["shop.orders"]}').source).toBe('{"source":["shop.orders"]}');
    expect(EventPattern.compile({ source: ['shop.orders'] }).source).toBe('{"source":["shop.orders"]}');
  });
});
