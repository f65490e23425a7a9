import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Allow, IsInt, IsOptional, IsString, Min, registerDecorator } from 'class-validator';
import { DomainError } from '@jiaxiao/common';
import { AppValidationPipe } from './validation.pipe';

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
}

class SearchQuery {
  @IsString() q!: string;
}

class LaterRuleQuery {
  @IsOptional() @IsString() q?: string;
  @Allow() tag?: string;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype, data: undefined });

async function problem(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error instanceof DomainError ? { code: error.code, fields: error.fields.map((f) => f.field) } : error;
  }
  return undefined;
}

describe('AppValidationPipe', () => {
  const pipe = new AppValidationPipe();

  it('answers an empty query with a fresh instance of its class every time', async () => {
    const first = await pipe.transform({}, query(PageQuery));
    const second = await pipe.transform(Object.create(null), query(PageQuery));
    expect(first).toBeInstanceOf(PageQuery);
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).not.toBe(first);
    expect(second).toEqual({ page: undefined });
  });

  it('still validates a query that has fields', async () => {
    await pipe.transform({}, query(PageQuery));
    expect(await pipe.transform({ page: '3' }, query(PageQuery))).toEqual({ page: 3 });
    expect(await problem(() => pipe.transform({ page: '0' }, query(PageQuery)))).toEqual({ code: 'VALIDATION_FAILED', fields: ['page'] });
    expect(await problem(() => pipe.transform({ other: '1' }, query(PageQuery)))).toEqual({ code: 'VALIDATION_FAILED', fields: ['other'] });
  });

  it('refuses an empty query missing a required field every time', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await problem(() => pipe.transform({}, query(SearchQuery)))).toEqual({ code: 'VALIDATION_FAILED', fields: ['q'] });
    }
  });

  it('validates an empty query again once a rule is added', async () => {
    expect(await pipe.transform({}, query(LaterRuleQuery))).toBeInstanceOf(LaterRuleQuery);
    registerDecorator({
      target: LaterRuleQuery,
      propertyName: 'tag',
      constraints: [],
      options: { message: 'tag required' },
      validator: { validate: (value: unknown) => typeof value === 'string' },
    });
    expect(await problem(() => pipe.transform({}, query(LaterRuleQuery)))).toEqual({ code: 'VALIDATION_FAILED', fields: ['tag'] });
  });
});
