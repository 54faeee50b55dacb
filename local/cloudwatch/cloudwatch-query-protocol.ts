/**
 * CloudWatch's query protocol (form posts `Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=x`,
 * answered in XML), as the AWS CLI v2 of Debian 12 and older SDKs speak it.
 *
 * Requests: the flattened parameters become the operation's input: `A.member.N` is the N-th element of list A,
 * `A.B` member B of structure A; every value stays a string (the operations coerce). Responses: the output as
 * `<{Action}Response><{Action}Result>…`, lists as `<member>` elements, maps as `<entry><key/><value/></entry>`,
 * timestamps in ISO 8601; errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error>`.
 */

const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
/** The API version every CloudWatch query request names (SQS's query requests name another). */
export const CLOUDWATCH_API_VERSION = '2010-08-01';

/** Parameters of the request itself (signature, version), not of the operation. */
const ENVELOPE = /^(Action|Version|AWSAccessKeyId|Signature|SignatureMethod|SignatureVersion|Timestamp|Expires|SecurityToken|X-Amz-.*)$/;

type Tree = { [key: string]: Node };
type Node = string | Tree;

function isTree(node: Node | undefined): node is Tree {
  return typeof node === 'object' && node !== null;
}

function insert(tree: Tree, segments: readonly string[], value: string): void {
  const [head, ...rest] = segments;
  if (rest.length === 0) {
    tree[head] = value;
    return;
  }
  const child = isTree(tree[head]) ? tree[head] : (tree[head] = {});
  insert(child, rest, value);
}

/** `{ member: { 1: x, 2: y } }` → `[x, y]`, deeply. */
function toInput(node: Node): unknown {
  if (!isTree(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member' && isTree(node.member)) {
    const members = node.member;
    return Object.keys(members)
      .filter((index) => /^\d+$/.test(index))
      .sort((a, b) => Number(a) - Number(b))
      .map((index) => toInput(members[index]));
  }
  return Object.fromEntries(keys.map((key) => [key, toInput(node[key])]));
}

/** The action and input of a query request (its form body and URL parameters together). */
export function parseQueryRequest(params: URLSearchParams): { readonly action: string; readonly input: Record<string, unknown> } {
  const tree: Tree = {};
  for (const [key, value] of params) {
    if (ENVELOPE.test(key)) continue;
    insert(tree, key.split('.'), value);
  }
  return { action: params.get('Action') ?? '', input: toInput(tree) as Record<string, unknown> };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function element(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

function renderValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (value instanceof Map) {
    return [...value.entries()].map(([key, v]) => element('entry', element('key', escapeXml(String(key))) + element('value', renderValue(v)))).join('');
  }
  if (Array.isArray(value)) return value.map((item) => element('member', renderValue(item))).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([key, v]) => element(key, renderValue(v)))
      .join('');
  }
  return escapeXml(String(value));
}

/** An operation's output as CloudWatch's XML answer. */
export function renderQueryResponse(action: string, output: Record<string, unknown>, requestId: string): string {
  const result = renderValue(output);
  const body = result.length > 0 ? element(`${action}Result`, result) : '';
  const metadata = element('ResponseMetadata', element('RequestId', requestId));
  return `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}">${body}${metadata}</${action}Response>`;
}

/** An error as CloudWatch's XML answer. */
export function renderQueryError(code: string, message: string, senderFault: boolean, requestId: string): string {
  const error = element('Type', senderFault ? 'Sender' : 'Receiver') + element('Code', escapeXml(code)) + element('Message', escapeXml(message));
  return `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}">${element('Error', error)}${element('RequestId', requestId)}</ErrorResponse>`;
}
