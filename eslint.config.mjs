// ESLint: typed rules everywhere, and workflow and domain code kept deterministic (no Node built-ins, pg or fastify).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Imports that make code non-deterministic or do I/O: banned in workflows/ and domain/. */
const deterministic = [
  {
    group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'],
    message: 'Workflow and domain code must be deterministic: no Node built-ins.',
  },
  {
    group: ['pg', 'fastify', '@fastify/*', 'nodemailer', 'stripe', '@temporalio/client', 'standardwebhooks', 'pdfkit'],
    message: 'Workflow and domain code must not do I/O: call an activity or a service.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'outbox/**', 'bench/results/**', 'test/fixtures/**', 'test/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...deterministic,
            {
              group: ['../activities', '../activities/*'],
              message: 'Import activities as types only (import type).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Workflows import domain/ at run time, so it is held to the same rules (test/unit/layering.test.ts checks folders).
    files: ['domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: deterministic }] },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.mts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
  },
);
