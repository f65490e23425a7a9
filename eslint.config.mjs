import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'libs/db/migrations/**', 'web/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
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
          message: "IsNumber({maxDecimalPlaces}) throws on exponent-form numbers (a 500 for bad input): use IsDecimalNumber from @jiaxiao/common.",
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
);
