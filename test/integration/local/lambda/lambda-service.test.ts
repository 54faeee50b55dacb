import type { EdgeRequest } from '../../../../local/edge/edge-server';
import { localControlService } from '../../../../local/lambda/control-service';
import { parseFault } from '../../../../local/lambda/function-fault';
import { InvalidFaultError, UnknownFunctionError } from '../../../../local/lambda/lambda-errors';
import { LambdaService } from '../../../../local/lambda/lambda-service';
import { functionConfig } from '../../../unit/local/lambda/function-config-factory';

const services: LambdaService[] = [];
function serviceWithTwoFunctions(): LambdaService {
  const service = new LambdaService([
    functionConfig(),
    functionConfig({
      logicalId: 'InventoryCreateReservationFunction9F8E7D6C',
      shortName: 'InventoryCreateReservationFunction',
      functionName: 'HybridShop-InventoryCreateReservation',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-InventoryCreateReservation',
      handler: 'index.counter',
    }),
  ]);
  services.push(service);
  return service;
}
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function edgeRequest(method: string, path: string, body?: unknown): EdgeRequest {
  return {
    method,
    url: new URL(path, 'http://127.0.0.1:4566'),
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

describe('LambdaService', () => {
  it.each([
    ['logical id', 'InventoryCreateReservationFunction9F8E7D6C'],
    ['short name', 'InventoryCreateReservationFunction'],
    ['function name', 'HybridShop-InventoryCreateReservation'],
    ['ARN', 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-InventoryCreateReservation'],
    ['qualified ARN', 'arn:aws:lambda:us-east-1:000000000000:function:HybridShop-InventoryCreateReservation:$LATEST'],
    ['unique logical id prefix', 'InventoryCreate'],
  ])('finds a function by its %s', (_what, ref) => {
    expect(serviceWithTwoFunctions().pool(ref).config.logicalId).toBe('InventoryCreateReservationFunction9F8E7D6C');
  });

  it('rejects an unknown function, naming the known ones', () => {
    expect(() => serviceWithTwoFunctions().pool('Nope')).toThrow(UnknownFunctionError);
    expect(() => serviceWithTwoFunctions().pool('Nope')).toThrow(/CatalogEchoFunction1A2B3C4D, InventoryCreateReservationFunction9F8E7D6C/);
  });

  it('answers undefined, not an error, for a ref no function has (a queue\'s ARN, a name)', () => {
    // Prepare
    const service = serviceWithTwoFunctions();

    // Act / Assess
    expect(service.find('arn:aws:sqs:us-east-1:000000000000:HybridShop-Reservations')).toBeUndefined();
    expect(service.find('Nope')).toBeUndefined();
    expect(service.find('InventoryCreateReservationFunction')?.config.logicalId).toBe('InventoryCreateReservationFunction9F8E7D6C');
  });

  it('rejects a prefix that more than one logical id starts with', () => {
    // Prepare
    const service = new LambdaService([functionConfig(), functionConfig({ logicalId: 'CatalogOtherFunction5E6F7A8B', shortName: 'CatalogOtherFunction', functionName: 'other', arn: 'arn:other' })]);
    services.push(service);

    // Act / Assess
    expect(() => service.pool('Catalog')).toThrow(UnknownFunctionError);
  });

  it('counts the invocations of each function', async () => {
    // Prepare
    const service = serviceWithTwoFunctions();

    // Act
    await service.invoke('InventoryCreateReservationFunction', {});
    await service.invoke('InventoryCreateReservationFunction', {});

    // Assess
    expect(service.invocationCount('InventoryCreateReservationFunction9F8E7D6C')).toBe(2);
    expect(service.invocationCount('CatalogEchoFunction')).toBe(0);
  });

  it('lists active faults by logical id and clears them', () => {
    // Prepare
    const service = serviceWithTwoFunctions();

    // Act
    service.setFault('CatalogEchoFunction', { delayMs: 100 });
    const set = service.faults();
    service.setFault('CatalogEchoFunction', undefined);

    // Assess
    expect(set).toEqual({ CatalogEchoFunction1A2B3C4D: { delayMs: 100 } });
    expect(service.faults()).toEqual({});
  });
});

describe('parseFault', () => {
  it('accepts a delay, an error and a percentage', () => {
    expect(parseFault({ delayMs: 1500, error: true, percentage: 50 })).toEqual({ delayMs: 1500, error: true, percentage: 50 });
  });

  it.each([
    [{ delayMs: -1 }, /delayMs is -1/],
    [{ error: 'yes' }, /error is "yes"/],
    [{ error: true, percentage: 101 }, /percentage is 101/],
    [{ latency: 5 }, /unknown field 'latency'/],
    [{}, /does nothing/],
    [[], /JSON object/],
  ])('rejects %j', (fault, message) => {
    expect(() => parseFault(fault)).toThrow(InvalidFaultError);
    expect(() => parseFault(fault)).toThrow(message);
  });
});

describe('the /_local/ control service', () => {
  it('sets, lists and clears a fault over HTTP', async () => {
    // Prepare
    const service = serviceWithTwoFunctions();
    const control = localControlService(service);

    // Act
    const set = await control.handle(edgeRequest('POST', '/_local/faults/InventoryCreateReservationFunction', { delayMs: 1500 }));
    const listed = await control.handle(edgeRequest('GET', '/_local/faults'));
    const cleared = await control.handle(edgeRequest('DELETE', '/_local/faults/InventoryCreateReservationFunction'));

    // Assess
    expect(set.status).toBe(200);
    expect(JSON.parse(String(set.body))).toEqual({ function: 'InventoryCreateReservationFunction9F8E7D6C', fault: { delayMs: 1500 } });
    expect(JSON.parse(String(listed.body))).toEqual({ faults: { InventoryCreateReservationFunction9F8E7D6C: { delayMs: 1500 } } });
    expect(cleared.status).toBe(200);
    expect(service.faults()).toEqual({});
  });

  it('answers 400 naming the problem for a bad fault, and 404 for an unknown function', async () => {
    // Prepare
    const control = localControlService(serviceWithTwoFunctions());

    // Act
    const bad = await control.handle(edgeRequest('POST', '/_local/faults/CatalogEchoFunction', { delayMs: 'slow' }));
    const unknown = await control.handle(edgeRequest('POST', '/_local/faults/Nope', { error: true }));

    // Assess
    expect(bad.status).toBe(400);
    expect(String(bad.body)).toContain('delayMs is \\"slow\\"');
    expect(unknown.status).toBe(404);
  });

  it('matches only paths under /_local/', () => {
    const control = localControlService(serviceWithTwoFunctions());
    expect(control.matches(edgeRequest('GET', '/_local/faults'))).toBe(true);
    expect(control.matches(edgeRequest('POST', '/'))).toBe(false);
  });
});
