/** Small node:http helpers shared by the API handlers. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from '../errors.js';

/** Request bodies above this are refused, as the API server's 3 MiB limit does. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Sends a JSON document (already serialized or a value). */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

/** Sends an ApiError as a metav1.Status with its HTTP code. */
export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

/** Reads the whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** The request body as bytes (a protobuf body is not text). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'BadRequest', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; a malformed body is a 400 as upstream's decoder reports it. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the object provided is unrecognized (couldn't get version/kind; json parse error: ${(err as Error).message})`);
  }
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Whether the client accepts plain JSON. Table and aggregated-discovery requests also
 * list plain `application/json` as a fallback, which is what this server answers.
 */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') return false;
    // `application/json;as=Table;g=meta.k8s.io;v=v1` asks for a representation we do not serve.
    return !params.some((p) => p.startsWith('as='));
  });
}

/**
 * The field manager the API server derives from a User-Agent (handlers/rest.go
 * prefixFromUserAgent): the part before the first `/`, without unprintable characters,
 * cut to 128 bytes of UTF-8.
 */
export function fieldManagerFromUserAgent(userAgent: string | undefined): string {
  let manager = '';
  let bytes = 0;
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (/\p{C}/u.test(ch)) continue;
    const size = Buffer.byteLength(ch);
    if (bytes + size > 128) break;
    manager += ch;
    bytes += size;
  }
  return manager;
}
