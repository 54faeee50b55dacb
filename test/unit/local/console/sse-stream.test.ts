import { SseStream } from '../../../../local/console/sse-stream';

function read(stream: SseStream): string {
  const chunks: string[] = [];
  let chunk: Buffer | null;
  while ((chunk = stream.read() as Buffer | null) !== null) chunks.push(chunk.toString('utf8'));
  return chunks.join('');
}

describe('SseStream', () => {
  it('frames each event as text/event-stream: its name, then its data as one JSON line', () => {
    // Prepare
    const stream = new SseStream();

    // Act
    stream.send('snapshot', { at: 1, queues: [] });
    stream.sendJson('hop', '{"orderId":"o-1"}');

    // Assess
    expect(read(stream)).toBe('event: snapshot\ndata: {"at":1,"queues":[]}\n\nevent: hop\ndata: {"orderId":"o-1"}\n\n');
  });

  it('drops and counts events once maxBufferedBytes wait unread, and sends again once the client has read', () => {
    // Prepare
    const stream = new SseStream({ maxBufferedBytes: 100 });
    const big = { text: 'x'.repeat(60) };

    // Act
    const sent = [stream.send('snapshot', big), stream.send('snapshot', big)];
    read(stream);
    const afterReading = stream.send('snapshot', big);

    // Assess
    expect(sent).toEqual([true, false]);
    expect(stream.dropped).toBe(1);
    expect(afterReading).toBe(true);
  });

  it('sends nothing once destroyed (the client went away)', () => {
    // Prepare
    const stream = new SseStream();
    stream.destroy();

    // Act
    const sent = stream.send('snapshot', {});

    // Assess
    expect(sent).toBe(false);
  });

  it('pings only an idle stream, so a ping never waits behind unread events', () => {
    // Prepare
    const stream = new SseStream();
    stream.send('hop', {});

    // Act
    stream.ping();
    const first = read(stream);
    stream.ping();

    // Assess
    expect(first).toBe('event: hop\ndata: {}\n\n');
    expect(read(stream)).toBe(': ping\n\n');
  });
});
