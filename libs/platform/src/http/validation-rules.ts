import { getMetadataStorage, MetadataStorage } from 'class-validator';

type Rules = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;

const remembering = new WeakSet<MetadataStorage>();

/** Bumped whenever a rule is registered, so what was worked out from the rules can tell it is out of date. */
let rulesVersion = 0;

export function validationRulesVersion(): number {
  return rulesVersion;
}

/**
 * class-validator works out a class's rules on every validate() by testing each registered class
 * for being one of its ancestors (typestack/class-validator#2686): with this project's hundreds of
 * DTOs, most of the CPU of validating a small query. A class's rules and its ancestors' are all
 * registered by the time it is defined (its decorators run then, after theirs), so the answer is
 * kept per class and arguments; a rule registered later (registerDecorator at run time, a schema)
 * forgets every answer. The kept lists are shared: class-validator only reads them.
 */
export function rememberValidationRules(): void {
  const storage = getMetadataStorage();
  if (remembering.has(storage)) return;
  remembering.add(storage);

  let known = new WeakMap<object, Map<string, Rules>>();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    known = new WeakMap();
    rulesVersion += 1;
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byArguments = known.get(target);
    if (!byArguments) known.set(target, (byArguments = new Map()));
    let rules = byArguments.get(key);
    if (!rules) byArguments.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
