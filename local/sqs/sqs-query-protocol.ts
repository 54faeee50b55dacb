/**
 * SQS's query protocol (form posts `Action=SendMessage&QueueUrl=…&MessageAttribute.1.Name=…`, answered in XML), as
 * older SDKs and tools speak it, translated to and from the JSON protocol that fauxqs and current SDKs speak.
 *
 * Requests: the flattened parameters become the JSON input (`Attribute.N.Name/Value` → `Attributes`,
 * `MessageAttribute.N.*` → `MessageAttributes`, `*BatchRequestEntry.N.*` → `Entries`, `Tag.N.Key/Value` → tags,
 * `AttributeName.N` → `AttributeNames`…; numeric members become numbers). Responses: the JSON output rendered as
 * SQS's XML (`<SendMessageResponse><SendMessageResult>…`), maps as `<Attribute><Name/><Value/></Attribute>` entries,
 * lists flattened (`<Message>`, `<QueueUrl>`, `<…BatchResultEntry>`); errors as `<ErrorResponse>`.
 */
import type { JsonObject, JsonValue } from '../shared/json';

const XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';
/** The API version query requests name. */
export const SQS_API_VERSION = '2012-11-05';

/** Every action of the SQS API (the query protocol's `Action` values). */
export const SQS_ACTIONS: ReadonlySet<string> = new Set([
  'AddPermission',
  'CancelMessageMoveTask',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
]);

/** Query list parameters (`Name.N`) and the JSON member they become. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  StringListValue: 'StringListValues',
  BinaryListValue: 'BinaryListValues',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};
const NUMBERS = new Set(['MaxNumberOfMessages', 'WaitTimeSeconds', 'VisibilityTimeout', 'DelaySeconds', 'MaxResults', 'MaxNumberOfMessagesPerSecond']);
/** Parameters of the request itself (signature, version), not of the operation. */
const ENVELOPE = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/;

/** One node of the parameter tree: `A.1.B=x` → `{ A: [ { B: 'x' } ] }`. */
type ParamTree = { [key: string]: ParamNode };
type ParamNode = string | ParamTree | ParamNode[];

function isTree(node: ParamNode | undefined): node is ParamTree {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function insert(tree: ParamTree, segments: readonly string[], value: string): void {
  const [head, ...rest] = segments;
  if (rest.length === 0) {
    tree[head] = value;
    return;
  }
  if (/^\d+$/.test(rest[0])) {
    const list = Array.isArray(tree[head]) ? (tree[head] as ParamNode[]) : (tree[head] = []);
    const index = Number(rest[0]) - 1;
    if (rest.length === 1) {
      list[index] = value;
      return;
    }
    const child = isTree(list[index]) ? (list[index] as ParamTree) : (list[index] = {});
    insert(child as ParamTree, rest.slice(1), value);
    return;
  }
  const child = isTree(tree[head]) ? (tree[head] as ParamTree) : (tree[head] = {});
  insert(child as ParamTree, rest, value);
}

function scalar(node: ParamNode | undefined): string | undefined {
  return typeof node === 'string' ? node : undefined;
}

function compact(list: ParamNode[]): ParamNode[] {
  return list.filter((item) => item !== undefined);
}

/** `[{ Name, Value }]` → `{ [Name]: convert(Value) }`. */
function nameValueMap(list: ParamNode[], keyField: string, convert: (value: ParamNode | undefined) => JsonValue): JsonObject {
  const map: JsonObject = {};
  for (const entry of compact(list)) {
    if (!isTree(entry)) continue;
    const name = scalar(entry[keyField]);
    if (name !== undefined) map[name] = convert(entry.Value);
  }
  return map;
}

function toJson(tree: ParamTree, action: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, node] of Object.entries(tree)) {
    if (key === 'Attribute' && Array.isArray(node)) out.Attributes = nameValueMap(node, 'Name', (value) => scalar(value) ?? '');
    else if ((key === 'MessageAttribute' || key === 'MessageSystemAttribute') && Array.isArray(node)) {
      out[`${key}s`] = nameValueMap(node, 'Name', (value) => (isTree(value) ? toJson(value, action) : {}));
    } else if (key === 'Tag' && Array.isArray(node)) {
      out[action === 'CreateQueue' ? 'tags' : 'Tags'] = nameValueMap(node, 'Key', (value) => scalar(value) ?? '');
    } else if (Array.isArray(node)) {
      out[LISTS[key] ?? key] = compact(node).map((item) => (isTree(item) ? toJson(item, action) : scalar(item) ?? ''));
    } else if (isTree(node)) {
      out[key] = toJson(node, action);
    } else if (NUMBERS.has(key) && node.trim() !== '' && !Number.isNaN(Number(node))) {
      out[key] = Number(node);
    } else {
      out[key] = node;
    }
  }
  return out;
}

/** The action and JSON input of a query request (its form body and URL parameters together). */
export function parseQueryRequest(params: URLSearchParams): { readonly action: string; readonly input: JsonObject } {
  const tree: ParamTree = {};
  for (const [key, value] of params) {
    if (ENVELOPE.test(key)) continue;
    insert(tree, key.split('.'), value);
  }
  const action = params.get('Action') ?? '';
  return { action, input: toJson(tree, action) };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function element(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** The element name of each item of a JSON list member in SQS's XML (lists are flattened). */
function listItemName(key: string, action: string): string {
  switch (key) {
    case 'QueueUrls':
    case 'queueUrls':
      return 'QueueUrl';
    case 'Messages':
      return 'Message';
    case 'Successful':
      return `${action}ResultEntry`;
    case 'Failed':
      return 'BatchResultErrorEntry';
    case 'Results':
      return `${action}ResultEntry`;
    case 'StringListValues':
      return 'StringListValue';
    case 'BinaryListValues':
      return 'BinaryListValue';
    default:
      return key;
  }
}

function renderMember(key: string, value: JsonValue, action: string): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((item) => renderMember(listItemName(key, action), item, action)).join('');
  if (typeof value === 'object') {
    if (key === 'Attributes') {
      return Object.entries(value)
        .map(([name, v]) => element('Attribute', element('Name', escapeXml(name)) + element('Value', escapeXml(String(v)))))
        .join('');
    }
    if (key === 'MessageAttributes') {
      return Object.entries(value)
        .map(([name, v]) => element('MessageAttribute', element('Name', escapeXml(name)) + renderMember('Value', v, action)))
        .join('');
    }
    if (key === 'Tags') {
      return Object.entries(value)
        .map(([name, v]) => element('Tag', element('Key', escapeXml(name)) + element('Value', escapeXml(String(v)))))
        .join('');
    }
    return element(key, renderFields(value, action));
  }
  return element(key, escapeXml(String(value)));
}

function renderFields(object: JsonObject, action: string): string {
  return Object.entries(object)
    .map(([key, value]) => renderMember(key, value, action))
    .join('');
}

/** An operation's JSON output as SQS's XML answer. */
export function renderQueryResponse(action: string, output: JsonObject, requestId: string): string {
  const result = renderFields(output, action);
  const body = result.length > 0 ? element(`${action}Result`, result) : '';
  const metadata = element('ResponseMetadata', element('RequestId', requestId));
  return `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">${body}${metadata}</${action}Response>`;
}

/** An error as SQS's XML answer; `code` is the query protocol's (`AWS.SimpleQueueService.NonExistentQueue`). */
export function renderQueryError(code: string, message: string, senderFault: boolean, requestId: string): string {
  const error = element('Type', senderFault ? 'Sender' : 'Receiver') + element('Code', escapeXml(code)) + element('Message', escapeXml(message)) + '<Detail/>';
  return `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}">${element('Error', error)}${element('RequestId', requestId)}</ErrorResponse>`;
}
