// The program of kinesis-local's child process: `node kinesis-local-bootstrap.cjs <kinesis-local's main.js>`.
//
// kinesis-local cannot be told where to listen: kinesis-mock binds both its ports to the hardcoded host 0.0.0.0 (its
// KinesisMockService; no setting reads a host), which Node.js, given a wildcard, turns into every interface (`::`,
// IPv4 included). Anyone who can reach the machine could then call it, and it never checks a signature. So before
// kinesis-local loads, every server of this process is made to listen on 127.0.0.1, whatever host it asks for; a
// listen on anything but a TCP port (a path, a handle) is refused, so no other way out stays open. The runtime's tests
// read the child's listening sockets from /proc to prove it (test/unit/local/kinesis/kinesis-service.test.ts,
// test/unit/local/runtime/loopback-in-runtime.test.ts).
//
// It also ends this process when its IPC channel to the runtime closes, which happens however the runtime ends
// (even killed with SIGKILL), so kinesis-local never outlives it.
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

/** `listen`'s arguments with the host replaced by 127.0.0.1: `(port[, host][, backlog][, callback])` or `(options[, callback])`. */
function onLoopback(args) {
  const [first, ...rest] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return [first, LOOPBACK, ...(typeof rest[0] === 'string' || rest[0] === undefined || rest[0] === null ? rest.slice(1) : rest)];
  }
  if (typeof first === 'object' && first !== null && first.path === undefined && first.handle === undefined && first.fd === undefined) {
    return [{ ...first, host: LOOPBACK }, ...rest];
  }
  throw new Error(`kinesis-local may listen on a TCP port of ${LOOPBACK} only, not ${JSON.stringify(first)}`);
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  return listen.apply(this, onLoopback(args));
};

process.on('disconnect', () => process.exit(0));
require(process.argv[2]);
