// A request to an emulator built on Node's HTTP server (dynalite, kinesalite), handed to its request handler as a
// function call: in-memory request and response objects instead of a second HTTP exchange over loopback. That
// exchange (client and server framing, two socket writes and reads) cost about seven times dynalite's own work for a
// GetItem. The handler sees the same request (method, path, headers, body) and answers the same response (status,
// headers, body) as over HTTP. Plain JavaScript: dynalite's worker thread (dynalite-worker.mjs) runs it on plain
// Node.js, and the Kinesis bench calls kinesalite with it in its own thread.
import { EventEmitter } from 'node:events';

/** The parts of Node's request object the handlers use: an emitter of `data` and `end`. */
class HandlerRequest extends EventEmitter {
  constructor(method, url, headers) {
    super();
    this.method = method;
    this.url = url;
    this.headers = headers;
  }
}

/** The parts of Node's response object the handlers use; `end` settles the exchange. */
class HandlerResponse {
  constructor(settle) {
    this.statusCode = 200;
    this.headers = {};
    this.settle = settle;
  }

  setHeader(name, value) {
    this.headers[name.toLowerCase()] = String(value);
  }

  end(chunk) {
    const body = chunk === undefined ? Buffer.alloc(0) : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.settle({ status: this.statusCode, headers: this.headers, body });
  }
}

/** Calls `server`'s request handler with in-memory request and response objects (methods, not per-call closures). */
export function handlerExchange(server) {
  const handle = server.listeners('request')[0];
  if (handle === undefined) throw new Error('the server has no request handler: create it with dynalite() or kinesalite()');
  return ({ method, path, headers, body }) =>
    new Promise((resolve, reject) => {
      const request = new HandlerRequest(method, path, lowerCaseHeaders(headers));
      try {
        handle(request, new HandlerResponse(resolve));
        if (body.length > 0) request.emit('data', body);
        request.emit('end');
      } catch (error) {
        // Over HTTP this would have been an uncaught exception in the emulator; the caller answers InternalFailure.
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
}

function lowerCaseHeaders(headers) {
  const lower = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) lower[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return lower;
}
