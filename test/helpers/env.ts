// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./test-env.js')();
