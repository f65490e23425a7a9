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
    // The config loader, the test harness and scripts outside the apps may read the environment.
    files: ['libs/common/src/config/**', 'test/**', 'test-web/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
