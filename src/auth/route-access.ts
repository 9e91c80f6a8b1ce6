import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC, REQUIRED_ROLES } from './access.decorators';

export interface RouteAccess {
  controller: string;
  handler: string;
  method: string;
  path: string;
  access: 'public' | 'roles' | 'undeclared';
  roles?: string[];
}

/**
 * Walks every registered controller route and tells how it is guarded. The test suite fails on
 * any 'undeclared' route, and the guard denies them at run time too (deny by default).
 */
export function listRouteAccess(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): RouteAccess[] {
  const out: RouteAccess[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) {
      continue;
    }
    const proto = Object.getPrototypeOf(instance);
    const base = normalise(Reflect.getMetadata(PATH_METADATA, metatype));
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name];
      const pathMeta = Reflect.getMetadata(PATH_METADATA, handler);
      if (pathMeta === undefined) {
        continue;
      }
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, metatype]);
      const roles = reflector.getAllAndOverride<string[]>(REQUIRED_ROLES, [handler, metatype]);
      const paths = Array.isArray(pathMeta) ? pathMeta : [pathMeta];
      for (const p of paths) {
        out.push({
          controller: metatype.name,
          handler: name,
          method,
          path: `/${[base, normalise(p)].filter(Boolean).join('/')}`,
          access: isPublic ? 'public' : roles?.length ? 'roles' : 'undeclared',
          roles: roles ?? undefined,
        });
      }
    }
  }
  return out;
}

function normalise(p: string | undefined): string {
  return (p ?? '').replace(/^\/+|\/+$/g, '');
}
