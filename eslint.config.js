import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One no-restricted-imports rule per layer: `forbidden` names src/ folders (or packages) it must not import. */
function layers(rules) {
  return Object.entries(rules).map(([files, forbidden]) => ({
    files: [files],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((entry) => {
            const { value, types } = typeof entry === 'string' ? { value: entry, types: false } : entry;
            const group = value.includes('/') ? [value] : [`**/${value}/**`, `**/${value}.js`];
            return {
              group,
              allowTypeImports: types,
              message: `${files} may not import ${value}${types ? ' (except with `import type`)' : ''}: see README "How it works".`,
            };
          }),
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/.work/', 'examples/site/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The layers of src/ (README "How it works"): main → context → pipeline → adapters / report. A layer may not
  // reach into one that sits beside or above it; `import type` of a context type is allowed, since the pipeline
  // and the adapters consume what the context resolved. Break a rule here and `npm run lint` names the import.
  ...layers({
    'src/shared/**': ['context', 'pipeline', 'adapters', 'report', 'main'],
    'src/context/**': ['adapters', 'report', 'main', { value: 'pipeline', types: true }],
    'src/pipeline/**': ['adapters', 'report', 'main', { value: 'context', types: true }, '@aws-sdk/*', '@actions/*'],
    'src/adapters/**': ['report', 'main', { value: 'context', types: true }],
    'src/report/**': ['adapters', 'main', { value: 'context', types: true }, '@aws-sdk/*'],
  }),
  {
    // CloudFront Functions define `handler` for the runtime to call.
    files: ['terraform/functions/*.js'],
    rules: { 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
);
