import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a query. */
@Injectable()
export class IdParam implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (typeof value !== 'string' || !ID.test(value)) {
      const field = meta.data ?? 'id';
      throw DomainError.invalid([{ field, message: `${field} must be an id (UUID)` }]);
    }
    return value.toLowerCase();
  }
}

export const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);
