import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { as } from './fleetBackend';

/** One answer of the backend, with how long it took. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  ms: number;
}

export interface CallOptions {
  /** The user to call as; no credentials when absent. */
  user?: string;
  /** A JSON body. */
  body?: unknown;
  /** A body sent as it is, e.g. text that is not JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * Calls a test backend over loopback with keep-alive connections (Node's fetch), which is what
 * thousands of calls in a property or load test need: supertest opens a connection per call.
 */
export function httpClient(server: Server) {
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/api/aws-clusters`;
  return async function call(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.user) headers.authorization = as(options.user);
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] ??= 'application/json';
    }
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text, ms };
  };
}
