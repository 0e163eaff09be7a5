import { PassThrough } from 'node:stream';

/** A writable stream that keeps what is written to it, for commands that take their output streams. */
export function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk;
  });
  return { stream, text: () => text };
}
