import zlib from 'node:zlib';
import { AnswerCache, EncodedAnswer, preferredEncoding } from './EncodedAnswer';

describe('EncodedAnswer', () => {
  const json = JSON.stringify({
    items: Array.from({ length: 200 }, (_, i) => ({
      ref: `mc/org/cluster-${i}`,
      status: 'ready',
    })),
  });

  it('tags the bytes: equal bytes, equal tags; other bytes, another tag', () => {
    const a = EncodedAnswer.fromJson(json);
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(EncodedAnswer.fromJson(json).etag).toBe(a.etag);
    expect(
      EncodedAnswer.fromJson(json.replace('cluster-7"', 'cluster-8"')).etag,
    ).not.toBe(a.etag);
    expect(a.etagOf('identity')).toBe(a.etag);
    expect(a.etagOf('br')).toBe(`${a.etag.slice(0, -1)}-br"`);
  });

  it('compresses once per encoding, and the bytes decode to the body', async () => {
    const a = EncodedAnswer.fromJson(json);
    const first = a.encode('br');
    expect(a.encode('br')).toBe(first);
    expect(zlib.brotliDecompressSync(await first).toString()).toBe(json);
    expect(zlib.gunzipSync(await a.encode('gzip')).toString()).toBe(json);
  });

  it('matches If-None-Match weakly, in lists, in any encoding, and on *', () => {
    const a = EncodedAnswer.fromJson(json);
    expect(a.matches(undefined)).toBe(false);
    expect(a.matches('"nope"')).toBe(false);
    expect(a.matches(a.etag)).toBe(true);
    expect(a.matches(`W/${a.etag}`)).toBe(true);
    expect(a.matches(`"nope", ${a.etagOf('gzip')}`)).toBe(true);
    expect(a.matches('*')).toBe(true);
    expect(a.matches(`${a.etag.slice(0, -1)}-zstd"`)).toBe(false);
  });
});

describe('preferredEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['deflate', 'identity'],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
  ])('for %p answers %p', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});

describe('AnswerCache', () => {
  it('keeps answers under its byte budget, dropping the least recently used first', () => {
    const body = (n: number) => JSON.stringify('x'.repeat(n));
    // Each answer of 1,000 bytes is held as 2,000 (room for its compressed forms): three fit in 6,500.
    const cache = new AnswerCache(6_500);
    let made = 0;
    const get = (key: string) =>
      cache.get(key, () => {
        made += 1;
        return body(998);
      });
    const a = get('a');
    get('b');
    get('c');
    expect(get('a')).toBe(a);
    expect(made).toBe(3);
    get('d');
    expect(cache.size).toBe(3);
    // b was the least recently used: it was dropped; a was used again and stays.
    expect(get('a')).toBe(a);
    expect(made).toBe(4);
    get('b');
    expect(made).toBe(5);
  });

  it('keeps an answer larger than the budget until the next one comes', () => {
    const cache = new AnswerCache(10);
    const big = cache.get('big', () => JSON.stringify('y'.repeat(100)));
    expect(cache.get('big', () => 'other')).toBe(big);
    cache.get('next', () => JSON.stringify('z'.repeat(100)));
    expect(cache.size).toBe(1);
  });
});
