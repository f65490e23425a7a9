import tseslint from 'typescript-eslint';

// Context-owned tables: a context's tables are named only by its own repositories; the others read
// through what it publishes (the directory: the views of its read port, libs/directory/src/read-port.ts).
const DIRECTORY_TABLES = {
  owner: 'the directory',
  names: [
    'districts',
    'schools',
    'schoolYears',
    'classes',
    'students',
    'guardianships',
    'schoolRollovers',
    'roleAssignments',
    'classJoinLinks',
    'joinRequests',
    'rosterImports',
  ],
  instead:
    "read the directory's port (classPlaces, schoolPlaces, guardianChildren, staffRoles, … from @jiaxiao/directory) or call its services",
};
const COURSES_TABLES = {
  owner: 'courses',
  names: [
    'courseRequirements',
    'coursePlans',
    'experts',
    'lectures',
    'lectureMaterials',
    'registrations',
    'attendance',
    'hourLedger',
    'householdCredits',
    'householdProgress',
    'classMemberships',
    'classHourTotals',
    'reportExports',
  ],
  instead: "call courses' services",
};
const ownedTables = (...owners) => [
  'error',
  {
    paths: owners.map((o) => ({ name: '@jiaxiao/db', importNames: o.names, message: `A table of ${o.owner}: ${o.instead}.` })),
    patterns: [
      {
        group: ['**/db/src/schema', '**/db/src/schema/*', '@jiaxiao/db/*'],
        message: "Import from '@jiaxiao/db', whose exports the table rule checks.",
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'libs/db/migrations/**',
      'web/**',
      'artifacts/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through AppConfig (libs/common/src/config); only the config loader reads process.env.',
        },
        {
          selector: "Property[key.name='maxDecimalPlaces']",
          message:
            'IsNumber({maxDecimalPlaces}) throws on exponent-form numbers (a 500 for bad input): use IsDecimalNumber from @jiaxiao/common.',
        },
      ],
    },
  },
  {
    // Rooms of a size one can hold: a production file past 400 lines is split along its sections
    // (one repository or service per aggregate), not trimmed of blank lines or comments.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/db/migrations/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // The config loader, the test harness and scripts outside the apps may read the environment.
    files: ['libs/common/src/config/**', 'test/**', 'test-web/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Context-owned tables (above) in the apps and the contexts. Not here: libs/db (the schema and
    // migrations), seeds/, test/, test-web/ and bench/, which build and inspect data across contexts.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/db/**'],
    rules: { 'no-restricted-imports': ownedTables(DIRECTORY_TABLES, COURSES_TABLES) },
  },
  { files: ['libs/directory/**/*.ts'], rules: { 'no-restricted-imports': ownedTables(COURSES_TABLES) } },
  { files: ['libs/courses/**/*.ts'], rules: { 'no-restricted-imports': ownedTables(DIRECTORY_TABLES) } },
);
