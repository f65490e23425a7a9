import { ArgumentMetadata, Injectable, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { DomainError, FieldProblem } from '@jiaxiao/common';
import { rememberValidationRules, validationRulesVersion } from './validation-rules';

const TYPE_CONSTRAINTS = new Set([
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isUuid',
]);

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/**
 * The global ValidationPipe (whitelist, forbidNonWhitelisted, transform) whose failures become
 * VALIDATION_FAILED with one entry per bad field; the filter words them in the caller's language.
 * A body that is not a JSON object (an array, a string, null) is refused before validation.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  /**
   * Query classes whose instance made from an empty query passed validation, with the rules'
   * version then. Such an instance holds nothing but undefined, so validating it again can only
   * give the same answer: a later empty query gets a fresh instance without it (most GETs carry no
   * query, and validating one cost a cached read as much again as the rest of its request).
   */
  private readonly emptyQueriesPass = new WeakMap<Type<unknown>, number>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: true, value: false },
      exceptionFactory: (errors) => new DomainError('VALIDATION_FAILED', {}, flatten(errors)),
    });
    rememberValidationRules();
  }

  override async transform(value: unknown, metadata: ArgumentMetadata) {
    const isDto = typeof metadata.metatype === 'function' && !PRIMITIVES.has(metadata.metatype);
    if (isDto && metadata.type === 'query' && isEmptyObject(value))
      return this.emptyQuery(metadata.metatype as Type<unknown>, value, metadata);
    return this.validated(value, metadata, isDto);
  }

  private async emptyQuery(metatype: Type<unknown>, value: object, metadata: ArgumentMetadata): Promise<unknown> {
    const version = validationRulesVersion();
    if (this.emptyQueriesPass.get(metatype) === version) return plainToInstance(metatype, {});
    const result = await this.validated(value, metadata, true);
    if (Object.values(result as object).every((field) => field === undefined)) this.emptyQueriesPass.set(metatype, version);
    return result;
  }

  private async validated(value: unknown, metadata: ArgumentMetadata, isDto: boolean): Promise<unknown> {
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (value === undefined && metadata.type === 'body') value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'body', constraint: 'body' }]);
      }
    }
    const result: unknown = await super.transform(value, metadata);
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      const fields = fieldsWithNul(result);
      if (fields.length > 0)
        throw new DomainError(
          'VALIDATION_FAILED',
          {},
          fields.map((field) => ({ field, constraint: 'noNulCharacter' })),
        );
    }
    return result;
  }
}

function isEmptyObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

/** PostgreSQL text cannot hold NUL: such a string would fail its query with a 500, so it is a bad field here. */
export function fieldsWithNul(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [prefix] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => fieldsWithNul(child, prefix ? `${prefix}.${key}` : key));
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.keys(error.constraints ?? {});
    // One message per field: a wrong type first (a length makes no sense for an object), then the rest.
    const constraint = constraints.find((c) => TYPE_CONSTRAINTS.has(c)) ?? constraints[0];
    if (constraint) problems.push({ field, constraint, args: argsOf(error, constraint) });
    if (error.children?.length) problems.push(...flatten(error.children, field));
  }
  return problems;
}

/** class-validator keeps a constraint's arguments (maxLength's 2000) in its metadata, not in the error. */
function argsOf(error: ValidationError, constraint: string): unknown[] | undefined {
  const target = error.target?.constructor;
  if (!target) return undefined;
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return metadata?.constraints;
}
