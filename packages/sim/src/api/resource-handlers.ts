/** Routes a resource request to its verb or subresource handler. */

import type { RequestContext } from './context.js';
import { create, getOne, list, patch, readObject, remove, removeCollection, update, watch } from './crud.js';
import { handleSubresource } from './subresources.js';
import type { WatchHub } from './watch.js';

/** Dispatches a resource request. */
export async function handleResource(ctx: RequestContext, watches: WatchHub): Promise<void> {
  const { path, verb } = ctx;
  const sub = path.subresource;
  if (sub) return handleSubresource(ctx, sub);
  switch (verb) {
    case 'get':
      return getOne(ctx);
    case 'list':
      return list(ctx);
    case 'watch':
      return watch(ctx, watches);
    case 'create':
      return create(ctx);
    case 'update':
      return update(ctx, await readObject(ctx));
    case 'patch':
      return patch(ctx);
    case 'delete':
      return remove(ctx);
    case 'deletecollection':
      return removeCollection(ctx);
  }
}
