import type { EdgeResponse } from '../../../../local/edge/edge-server';
import { isLoopbackHost, refuseControlWithoutJson, refuseForeignHost } from '../../../../local/edge/request-guards';

/** `refusal` is an application/problem+json answer of `problem`. */
function expectProblem(refusal: EdgeResponse | undefined, problem: { type: string; title: string; status: number; detail: string }): void {
  expect(refusal).toMatchObject({ status: problem.status, headers: { 'content-type': 'application/problem+json' } });
  expect(JSON.parse(String(refusal?.body ?? '{}'))).toEqual(problem);
}

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'localhost:4566',
    'LOCALHOST:3000',
    'localhost.',
    'api.localhost',
    'abc123.execute-api.localhost:4566',
    '127.0.0.1',
    '127.0.0.1:4566',
    '127.255.255.254:1',
    '[::1]',
    '[::1]:4566',
    '[0:0:0:0:0:0:0:1]:4566',
    '[::ffff:127.0.0.1]:4566',
  ])('takes %s for loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    ['another name', 'evil.example.com'],
    ['another name with a port', 'evil.example.com:4566'],
    ['a name that only starts with localhost', 'localhost.evil.example.com'],
    ['a name that only ends like localhost', 'notlocalhost'],
    ['a name that resolves to 127.0.0.1 elsewhere', '127.0.0.1.nip.io'],
    ['a private address', '192.168.1.5'],
    ['a private address with a port', '192.168.1.5:4566'],
    ['the wildcard address', '0.0.0.0'],
    ['the IPv6 wildcard', '[::]'],
    ['an IPv4-mapped address that is not loopback', '[::ffff:192.168.1.5]'],
    ['a shortened IPv4 address', '127.1'],
    ['an IPv6 address without brackets', '::1'],
    ['an unclosed bracket', '[::1'],
    ['a port that is not a number', 'localhost:http'],
    ['two ports', 'localhost:4566:1'],
    ['userinfo', 'user@localhost'],
    ['an empty Host', ''],
    ['no Host at all', undefined],
  ])('refuses %s (%s)', (_what, host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('refuseForeignHost', () => {
  it('lets a loopback Host through', () => {
    expect(refuseForeignHost('127.0.0.1:4566')).toBeUndefined();
  });

  it('answers another Host with a 403 problem that names it', () => {
    // Act
    const refusal = refuseForeignHost('evil.example.com');

    // Assess
    expectProblem(refusal, {
      type: 'https://hybrid-shop.example/problems/host-not-loopback',
      title: 'Forbidden',
      status: 403,
      detail:
        "Host 'evil.example.com' is not a loopback name or address: the local runtime answers only requests addressed to localhost, " +
        '*.localhost, 127.0.0.0/8 or [::1] (so a web page cannot reach it by rebinding its own name to 127.0.0.1).',
    });
  });

  it('says so when there is no Host at all', () => {
    const refusal = refuseForeignHost(undefined);

    expect(JSON.parse(refusal?.body ?? '{}')).toMatchObject({ status: 403, detail: expect.stringMatching(/^The request has no Host header: /) });
  });

  it('echoes at most 200 characters of a long Host', () => {
    const refusal = refuseForeignHost(`${'a'.repeat(500)}.example.com`);

    expect(JSON.parse(refusal?.body ?? '{}').detail).toContain(`Host '${'a'.repeat(200)}…' is not`);
  });
});

describe('refuseControlWithoutJson', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('lets a %s to the control API through whatever its content type', (method) => {
    expect(refuseControlWithoutJson(method, '/_local/faults', 'text/plain')).toBeUndefined();
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'])('lets a POST with content-type %s through', (contentType) => {
    expect(refuseControlWithoutJson('POST', '/_local/faults/Fn', contentType)).toBeUndefined();
  });

  it('leaves paths outside the control API alone', () => {
    expect(refuseControlWithoutJson('POST', '/', 'application/x-www-form-urlencoded')).toBeUndefined();
  });

  it.each([
    ['POST', 'application/x-www-form-urlencoded'],
    ['POST', 'text/plain'],
    ['POST', 'application/problem+json'],
    ['PUT', 'text/plain'],
    ['PATCH', 'text/plain'],
    ['DELETE', undefined],
    ['PROPFIND', undefined],
  ])('answers a %s with content-type %s with a 415 problem', (method, contentType) => {
    // Act
    const refusal = refuseControlWithoutJson(method, '/_local/eventbridge/faults', contentType);

    // Assess
    expectProblem(refusal, {
      type: 'https://hybrid-shop.example/problems/unsupported-media-type',
      title: 'Unsupported Media Type',
      status: 415,
      detail:
        `${method} /_local/eventbridge/faults has ${contentType === undefined ? 'no content-type' : `content-type '${contentType}'`}: the control API ` +
        "changes state only for 'content-type: application/json' requests (a web page cannot send that header cross-origin without a CORS preflight).",
    });
  });
});
