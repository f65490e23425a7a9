import { IsInt, IsString, registerDecorator, validate } from 'class-validator';
import { rememberValidationRules } from './validation-rules';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt()
  age!: number;
}

function child(name: unknown, age: unknown, nickname?: unknown): Child {
  return Object.assign(new Child(), { name, age, nickname });
}

async function badFields(value: object): Promise<string[]> {
  return (await validate(value)).map((error) => error.property).sort();
}

describe('rememberValidationRules', () => {
  beforeAll(() => rememberValidationRules());

  it('keeps a class’s own and inherited rules, the same on every call', async () => {
    expect(await badFields(child(1, 'x'))).toEqual(['age', 'name']);
    expect(await badFields(child(1, 'x'))).toEqual(['age', 'name']);
    expect(await badFields(child('Ann', 7))).toEqual([]);
  });

  it('sees a rule registered after the class was validated', async () => {
    expect(await badFields(child('Ann', 7, 42))).toEqual([]);
    registerDecorator({
      target: Child,
      propertyName: 'nickname',
      validator: { validate: (value: unknown) => value === undefined || typeof value === 'string' },
    });
    expect(await badFields(child('Ann', 7, 42))).toEqual(['nickname']);
  });
});
