import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries mirror STYLE.md: nothing imports an app; contracts import nothing;
// the testing lib is for specs only; apps compose libs, libs never reach into apps.
const depConstraints = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:data-service', onlyDependOnLibsWithTags: ['scope:shared', 'scope:data-service'] },
  { sourceTag: 'scope:decision-engine', onlyDependOnLibsWithTags: ['scope:shared', 'scope:decision-engine'] },
  { sourceTag: 'scope:interaction-gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:interaction-gateway'] },
  { sourceTag: 'scope:ledger-anchor', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ledger-anchor'] },
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared'] },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tools/**',
      '.run/**',
      '.cache/**',
      '.nx/**',
      '**/generated/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // The spec configs include every source, spec and test file of their project.
        project: ['apps/*/tsconfig.spec.json', 'libs/*/tsconfig.spec.json', 'libs/chain/tsconfig.scripts.json', 'libs/contracts/tsconfig.scripts.json', 'deploy/local/tsconfig.json', 'deploy/k8s/tsconfig.json', 'tsconfig.tools.json', 'apps/console/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: false },
      ],
      // A dropped promise in a Kafka handler is a lost message.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@traceport/*/*'], message: 'Import a lib through its index (@traceport/<lib>), never deeper.' }] }],
    },
  },
  {
    // The operations console (React): the same promise safety, with type information from its own tsconfig.
    files: ['apps/console/**/*.tsx'],
    languageOptions: { parserOptions: { project: ['apps/console/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests may also use the testing lib (it starts real infrastructure), and index fixtures freely.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: depConstraints.map((constraint) =>
            constraint.sourceTag.startsWith('type:')
              ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] }
              : constraint,
          ),
        },
      ],
    },
  },
  {
    // Specs may use the testing lib; nothing else may.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/test/**/*.ts', 'test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@traceport/testing', message: 'libs/testing is for specs and tests only.' }],
          patterns: [{ group: ['@traceport/*/*'], message: 'Import a lib through its index (@traceport/<lib>), never deeper.' }],
        },
      ],
    },
  },
);
