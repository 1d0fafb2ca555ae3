import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type express from 'express';

const gzip = promisify(zlib.gzip);
const brotliCompress = promisify(zlib.brotliCompress);

/** Encodings kept ready besides the identity, in the order they are preferred. */
export const ANSWER_ENCODINGS = ['br', 'gzip'] as const;
type Encoding = (typeof ANSWER_ENCODINGS)[number];

/** Bodies below this size are sent as they are; compressing them saves nothing worth the work. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * Brotli quality 6 and gzip level 6: the fleet list of 1,000 clusters (589 KiB) compresses on
 * the thread pool in a few milliseconds, once per answer, to 39 KiB with brotli. Higher
 * qualities take five times as long for no smaller answer.
 */
const COMPRESSION = {
  br: (body: Buffer) =>
    brotliCompress(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 6,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body: Buffer) => gzip(body, { level: 6 }),
};

/**
 * A JSON answer ready to send to many callers: its bytes, a strong ETag (a hash of the bytes,
 * so replicas holding the same data give the same tag) and its compressed forms, made once on
 * the thread pool when a caller first accepts them. Sending it is a lookup, and a caller that
 * holds it already gets a 304.
 */
export class EncodedAnswer {
  /** The strong ETag of the identity bytes; compressed forms carry it with a suffix. */
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  private constructor(readonly body: Buffer) {
    this.etag = `"${crypto
      .createHash('sha256')
      .update(body)
      .digest('base64url')
      .slice(0, 32)}"`;
  }

  static fromJson(json: string): EncodedAnswer {
    return new EncodedAnswer(Buffer.from(json, 'utf8'));
  }

  /** Bytes the answer may come to hold: the body, and room for compressed forms no larger than it. */
  get heldBytes(): number {
    return this.body.length * 2;
  }

  /** The ETag of the answer sent with `encoding`. */
  etagOf(encoding: Encoding | 'identity'): string {
    return encoding === 'identity'
      ? this.etag
      : `${this.etag.slice(0, -1)}-${encoding}"`;
  }

  /** The body compressed with `encoding`, made on first use. */
  encode(encoding: Encoding): Promise<Buffer> {
    let made = this.encoded.get(encoding);
    if (!made) {
      made = COMPRESSION[encoding](this.body);
      this.encoded.set(encoding, made);
      // A failed compression is made again by the next caller that asks for it.
      made.catch(() => this.encoded.delete(encoding));
    }
    return made;
  }

  /** Whether an `If-None-Match` header names this answer in any of its encodings. */
  matches(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    const opaque = this.etag.slice(1, -1);
    return ifNoneMatch.split(',').some(raw => {
      const tag = raw.trim();
      if (tag === '*') return true;
      // If-None-Match compares weakly: W/"x" matches "x".
      const value = tag.replace(/^W\//, '').slice(1, -1);
      return (
        value === opaque ||
        ANSWER_ENCODINGS.some(e => value === `${opaque}-${e}`)
      );
    });
  }
}

/**
 * The encoding to answer with: of those kept ready, the one the caller gives the highest weight
 * (brotli on a tie, as it is the smaller), else the identity.
 */
export function preferredEncoding(
  acceptEncoding: string | undefined,
): Encoding | 'identity' {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params
      .map(p => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1])
      .find(v => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (Number.isFinite(weight)) weights.set(coding.trim(), weight);
  }
  let best: Encoding | 'identity' = 'identity';
  let bestWeight = 0;
  for (const encoding of ANSWER_ENCODINGS) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * Sends an answer: 304 when the caller's `If-None-Match` names it, else its bytes in the best
 * encoding the caller accepts. Setting `Content-Encoding` makes Backstage's compression
 * middleware pass the compressed bytes on untouched; an identity body is left to it (it
 * compresses for callers that accept only encodings not kept here). The answer is private to
 * the caller's permissions and revalidated on every use.
 */
export async function sendEncoded(
  req: express.Request,
  res: express.Response,
  answer: EncodedAnswer,
): Promise<void> {
  const encoding =
    answer.body.length < COMPRESS_FROM_BYTES
      ? 'identity'
      : preferredEncoding(req.headers['accept-encoding']);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('ETag', answer.etagOf(encoding));
  if (answer.matches(req.headers['if-none-match'])) {
    res.status(304).end();
    return;
  }
  const body =
    encoding === 'identity' ? answer.body : await answer.encode(encoding);
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/**
 * Answers kept for one fleet model, least recently used dropped first once they hold more than
 * `maxBytes`.
 */
export class AnswerCache {
  private readonly entries = new Map<string, EncodedAnswer>();
  private held = 0;

  constructor(private readonly maxBytes: number) {}

  /** The answer under `key`, made from `make()` when there is none. */
  get(key: string, make: () => string): EncodedAnswer {
    let answer = this.entries.get(key);
    if (answer) {
      // Map order is insertion order: moving a hit to the end keeps the least recently used first.
      this.entries.delete(key);
      this.entries.set(key, answer);
      return answer;
    }
    answer = EncodedAnswer.fromJson(make());
    this.entries.set(key, answer);
    this.held += answer.heldBytes;
    for (const [k, a] of this.entries) {
      if (this.held <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.held -= a.heldBytes;
    }
    return answer;
  }

  /** Answers held. */
  get size(): number {
    return this.entries.size;
  }
}
