import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Role, ROLES } from './roles';

export const IS_PUBLIC = 'praktiknav:public';
export const REQUIRED_ROLES = 'praktiknav:roles';

/** Open to anyone, signed in or not. Every route declares this or its roles. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Signed-in users holding at least one of these roles. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiCookieAuth('session'),
    ApiBearerAuth('api-token'),
    ApiUnauthorizedResponse({ description: 'Not signed in' }),
    ApiForbiddenResponse({ description: 'Missing role' }),
  );

/** Any signed-in user, whatever their roles. */
export const AnyRole = () => Roles(...ROLES);
