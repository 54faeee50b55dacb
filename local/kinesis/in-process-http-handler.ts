/**
 * An SDK v3 request handler that hands a Kinesis client's requests to the in-process shard log as function calls:
 * `new KinesisClient({ requestHandler: new InProcessHttpHandler(kinesis), … })`. The runtime provisions the
 * template's streams through it (`stream-provisioning.ts` takes an SDK client), with no socket anywhere.
 */
import { Readable } from 'node:stream';
import { HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/protocol-http';
import type { EmulatorRequest, EmulatorResponse } from '../shared/emulator-client';
import { RequestAbortedError } from './http1-handler';

export class InProcessHttpHandler implements HttpHandler {
  public readonly metadata = { handlerProtocol: 'in-process' };

  public constructor(private readonly target: { send(request: Pick<EmulatorRequest, 'headers' | 'body'>): Promise<EmulatorResponse> }) {}

  public async handle(request: HttpRequest, options: { abortSignal?: AbortSignal | { aborted: boolean } } = {}): Promise<{ response: HttpResponse }> {
    if (options.abortSignal?.aborted) throw new RequestAbortedError();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const body: unknown = request.body;
    // A view on the bytes, not Buffer.from(body): that would read the SDK's body through its (string) valueOf.
    const bytes =
      body === undefined || body === null ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined;
    if (bytes === undefined) throw new TypeError('InProcessHttpHandler takes request bodies given whole (a string or bytes), not streams');
    const answer = await this.target.send({ headers, body: bytes });
    const answerHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    return { response: new HttpResponse({ statusCode: answer.status, headers: answerHeaders, body: Readable.from([answer.body]) }) };
  }

  public updateHttpClientConfig(): void {
    // nothing to configure
  }

  public httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  public destroy(): void {
    // no connections
  }
}
