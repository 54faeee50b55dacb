/**
 * The direct line to the dynalite this process runs in a worker thread (`dynamodb-local.ts`): a DynamoDB request is
 * posted on a MessagePort, `{ id, method, path, headers, body }`; the worker hands it to dynalite's request handler as
 * a function call (`handler-exchange.mjs`) and posts the answer back, `{ id, status, headers, body }`. No second HTTP
 * exchange over loopback (client and server framing, two socket writes and reads: about seven times dynalite's own
 * work for a GetItem), and dynalite's work runs on its own thread, off the runtime's main thread, which plays the
 * gateway, the edge, EventBridge and the pollers.
 *
 * dynalite still listens on its port (SDK clients may call it there); `startDynamoDb` registers its endpoint here, and
 * `DynamoDbWireClient` uses the line (an `EmulatorTransport`) for an endpoint that is registered. dynalite sees the
 * same request (method, path, headers, body) and answers the same response (status, headers, body) as over HTTP.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { EmulatorRequest, EmulatorResponse, EmulatorTransport } from '../shared/emulator-client';

/** A request as the line carries it. */
export interface ChannelRequest {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Uint8Array;
}

/** An answer as the line carries it: dynalite's response, or what its request handler threw. */
export type ChannelAnswer =
  | { readonly id: number; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Uint8Array }
  | { readonly id: number; readonly error: string };

interface Pending {
  readonly resolve: (response: EmulatorResponse) => void;
  readonly reject: (error: Error) => void;
}

/** The worker end is gone (dynalite stopped, or its thread died): the calls it had not answered fail with this. */
export class DynaliteChannelClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynaliteChannelClosedError';
  }
}

/** The main thread's end of the line: posts requests, and settles each by its id when the answer comes back. */
export class DynaliteChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closedWith: DynaliteChannelClosedError | undefined;
  private watching = false;

  constructor(private readonly port: MessagePort) {
    port.on('message', (answer: ChannelAnswer) => this.settle(answer));
    // The worker's end closes when its thread ends. A watched worker's `exit` follows, and closes this end with the
    // exit code and the error (the two events come in either order).
    port.on('close', () => {
      if (!this.watching) this.close("dynalite's worker thread closed its end of the line before it answered");
    });
  }

  /** Posts the request; the body's bytes are copied once, into a buffer handed over to the worker. */
  send(request: EmulatorRequest): Promise<EmulatorResponse> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    // A copy the caller cannot see: its own Buffer may be a slice of Node's shared pool, which must not move.
    const body = new Uint8Array(request.body);
    const message: ChannelRequest = { id, method: request.method, path: request.path, headers: request.headers, body };
    return new Promise<EmulatorResponse>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage(message, [body.buffer]);
    });
  }

  /** The line as an `EmulatorTransport`. */
  get transport(): EmulatorTransport {
    return (request) => this.send(request);
  }

  /** Fails the calls under way, and every later one, when `worker` (dynalite's) ends: with its exit code and error. */
  closeWhenEnds(worker: Worker): void {
    this.watching = true;
    let failure = '';
    worker.on('error', (error) => (failure = `: ${error.message}`));
    worker.on('exit', (code) => this.close(`dynalite's worker thread exited (code ${code})${failure} before it answered`));
  }

  /** Fails every call not answered yet, and every later one, with `reason`; closes the port. */
  close(reason: string): void {
    if (this.closedWith) return;
    this.closedWith = new DynaliteChannelClosedError(reason);
    for (const { reject } of this.pending.values()) reject(this.closedWith);
    this.pending.clear();
    this.port.close();
  }

  private settle(answer: ChannelAnswer): void {
    const call = this.pending.get(answer.id);
    if (call === undefined) return;
    this.pending.delete(answer.id);
    if ('error' in answer) call.reject(new Error(answer.error));
    else call.resolve({ status: answer.status, headers: answer.headers, body: Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength) });
  }
}

const registered = new Map<string, EmulatorTransport>();

/** Makes `endpoint` (as `startDynamoDb` reports it) reachable through `channel`. */
export function registerDynaliteChannel(endpoint: string, channel: DynaliteChannel): void {
  registered.set(endpoint, channel.transport);
}

/** Forgets `endpoint` (dynalite stopped). */
export function unregisterDynaliteChannel(endpoint: string): void {
  registered.delete(endpoint);
}

/** The direct line to the dynalite at `endpoint`, when this process runs it. */
export function dynaliteChannel(endpoint: string): EmulatorTransport | undefined {
  return registered.get(endpoint);
}
