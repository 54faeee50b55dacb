/**
 * Queue URLs and ARNs as clients see them, and as fauxqs knows them.
 *
 * Clients only ever see `${edgeUrl}/${accountId}/${queueName}` (what `Ref` of an AWS::SQS::Queue resolves to
 * locally) and ARNs in the stack's account. fauxqs keeps every queue in account 000000000000 and answers URLs of
 * its own (`http://sqs.{region}.fauxqs:{port}/000000000000/{name}`); it finds a queue from any URL by its last path
 * segment, so requests keep the client's URL and only ARNs (a RedrivePolicy's dead-letter target) are translated.
 */
import { FAUXQS_QUEUE_HOST } from './sqs-local';

/** The only account fauxqs knows. */
export const FAUXQS_ACCOUNT_ID = '000000000000';

/** A queue's name from its URL, ARN or name. */
export function queueNameOf(urlArnOrName: string): string {
  if (urlArnOrName.startsWith('arn:')) return urlArnOrName.slice(urlArnOrName.lastIndexOf(':') + 1);
  const withoutQuery = urlArnOrName.split('?')[0];
  return withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1);
}

/** `{ service, region, account, resource }` of an ARN; undefined when the text is not one. */
export function parseArn(arn: string): { readonly partition: string; readonly service: string; readonly region: string; readonly account: string; readonly resource: string } | undefined {
  const match = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (match === null) return undefined;
  const [, partition, service, region, account, resource] = match;
  return { partition, service, region, account, resource };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class QueueAddressing {
  private readonly fauxqsUrlPrefix = new RegExp(`^https?://sqs\\.[a-z0-9-]+\\.${escapeRegExp(FAUXQS_QUEUE_HOST)}(?::\\d+)?/${FAUXQS_ACCOUNT_ID}/`);
  private readonly edgeUrl: string;
  private readonly accountId: string;
  private readonly partition: string;

  constructor(options: { readonly edgeUrl: string; readonly accountId: string; readonly partition?: string }) {
    this.edgeUrl = options.edgeUrl.replace(/\/+$/, '');
    this.accountId = options.accountId;
    this.partition = options.partition ?? 'aws';
  }

  /** The URL clients use for a queue: `${edgeUrl}/${accountId}/${name}`. */
  queueUrl(name: string): string {
    return `${this.edgeUrl}/${this.accountId}/${name}`;
  }

  /** The queue's ARN in the stack's account. */
  queueArn(region: string, name: string): string {
    return `arn:${this.partition}:sqs:${region}:${this.accountId}:${name}`;
  }

  /** A queue URL from fauxqs → the edge's; any other text is returned as it is. */
  clientUrl(url: string): string {
    return this.fauxqsUrlPrefix.test(url) ? this.queueUrl(url.replace(this.fauxqsUrlPrefix, '')) : url;
  }

  /** Every SQS ARN in `text` (an ARN, or a policy document), from fauxqs's account to the stack's. */
  clientArns(text: string): string {
    if (this.sameAccount()) return text;
    return text.replace(/arn:aws:sqs:([a-z0-9-]*):000000000000:/g, `arn:${this.partition}:sqs:$1:${this.accountId}:`);
  }

  /** Every SQS ARN in `text`, from the stack's account to fauxqs's. */
  fauxqsArns(text: string): string {
    if (this.sameAccount()) return text;
    const pattern = new RegExp(`arn:${escapeRegExp(this.partition)}:sqs:([a-z0-9-]*):${escapeRegExp(this.accountId)}:`, 'g');
    return text.replace(pattern, `arn:aws:sqs:$1:${FAUXQS_ACCOUNT_ID}:`);
  }

  private sameAccount(): boolean {
    return this.accountId === FAUXQS_ACCOUNT_ID && this.partition === 'aws';
  }
}
